import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBotApp, type BotApp } from '../../bot/app.js';
import { parseBotConfig } from '../../bot/config.js';
import { createOpsDeps } from '../../bot/ops-wiring.js';
import { CONFIRM_ACTION_ID } from '../../bot/render/confirm-blocks.js';
import { CapturingLogger } from '../integration/bot/helpers/bot-fixture.js';
import { pngSize } from '../helpers/png.js';
import { FakeSlackApi, messageText, uploadedPng, type RecordedCall } from '../support/fake-slack-api.js';
import { buttonBody, postSigned, slashBody, TEST_SIGNING_SECRET } from '../support/signed-request.js';
import { reportFigures, waitFor } from './harness/cluster-probes.js';
import { fillQueue } from './harness/fill-queue.js';
import { scenarioSpec } from './harness/scenario-spec.js';
import { SETUP_TIMEOUT_MS, useE2eHarness } from './harness/setup.js';
import { ctl, openOpsCluster, type OpsCluster } from './ops/ops-cluster.js';

/**
 * Issue 11's watcher on a real 3-node RabbitMQ 4.3 cluster, the bot as Slack drives it (signed
 * requests to Bolt's HTTP receiver, the Web API on a local fake), with its real timers: a node
 * stopped → an alert with a Restart button within two intervals → an unauthorized press refused
 * → an authorized press, confirmed, restarts the node for real → recovery in the alert's thread;
 * a memory alarm forced with set_vm_memory_high_watermark → alarm alert → cleared; a second
 * cluster whose engine does not answer → one notice, the first still watched.
 */
const harness = useE2eHarness();
const INTERVAL_S = 10;
const ALERTS = 'CWATCH01';
const ADMIN = 'UWADMIN1';
const VIEWER = 'UWVIEW02';
const SECRET = TEST_SIGNING_SECRET;
const figures: Record<string, number> = {};
let c: OpsCluster;
let api: FakeSlackApi;
let bot: BotApp;
let url: string;
let home: string;
const logger = new CapturingLogger();

const posts = () => api.of('chat.postMessage').filter((p) => p.params.channel === ALERTS);
const buttonsOf = (call: RecordedCall) =>
  ((call.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>) ?? []).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []) : [],
  );
const click = (user: string, actionId: string, value: string, ts: string) =>
  postSigned(url, SECRET, buttonBody({ user_id: user, channel_id: ALERTS, message_ts: ts, action_id: actionId, value, response_url: api.responseUrl() }));
const waitForPost = (what: string, match: (p: RecordedCall) => boolean, ms = 120_000) => waitFor(what, ms, async () => posts().find(match), 250);

describe('the watcher on a real RabbitMQ 4.3 cluster', () => {
  const started = Date.now();

  beforeAll(async () => {
    const h = harness();
    c = await openOpsCluster(
      h,
      'watch',
      scenarioSpec({ name: 'e2e-watch', image: h.images.v43.ref, version: '4.3.6', nodes: 3, formation: 'auto', subnet: 216, portBase: 41000 }),
    );
    expect((await c.run('deploy')).ok).toBe(true);
    await fillQueue(c.cluster, 'watch-orders', 300, { quorum: true });
    home = await mkdtemp(join(tmpdir(), 'rmq-watch-e2e-'));
    // a second cluster the bot cannot reach: the same folder, its engine a socket nobody listens on
    const cut = join(home, 'cut');
    await cp(c.dir, cut, { recursive: true });
    const manifest = JSON.parse(await readFile(join(cut, 'rmq-compose.json'), 'utf8')) as { hosts: Array<{ docker?: string }> };
    manifest.hosts = manifest.hosts.map((host) => ({ ...host, docker: `unix://${join(home, 'no-engine.sock')}` }));
    await writeFile(join(cut, 'rmq-compose.json'), JSON.stringify(manifest, null, 2));
    api = await new FakeSlackApi().start();
    const config = parseBotConfig(
      {
        mode: 'http',
        clusters: { live: c.dir, cut },
        resultsChannel: 'CWRESULT',
        authorization: { readOnly: { users: ['*'], channels: ['*'] }, mutating: { users: [ADMIN], channels: [ALERTS] } },
        // flapWindowSeconds 0: the memory alarm after the node's recovery is a new alert, not a reopened one
        watch: {
          clusters: { live: { channel: ALERTS, intervalSeconds: INTERVAL_S, flapWindowSeconds: 0 }, cut: { channel: ALERTS, intervalSeconds: INTERVAL_S } },
        },
      },
      join(home, 'rmq-bot.yaml'),
      { SLACK_BOT_TOKEN: 'xoxb-e2e-watch', SLACK_SIGNING_SECRET: SECRET },
    );
    bot = buildBotApp(config, createOpsDeps(config), { slackApiUrl: api.apiUrl, logger, clientOptions: { retryConfig: { retries: 0 } } });
    const { port } = await bot.start({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}/slack/events`;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await bot?.stop().catch(() => undefined);
    await api?.close();
    await c?.close();
    if (home) await rm(home, { recursive: true, force: true });
    figures.fileMs = Date.now() - started;
    reportFigures('watcher', figures);
  }, 300_000);

  it('a healthy cluster posts nothing; the unreachable one is said once over several polls', async () => {
    const watcher = bot.runtime.watcher!;
    await waitFor(
      'three polls of each cluster',
      90_000,
      async () => ((watcher.stats('live')?.polls ?? 0) >= 3 && (watcher.stats('cut')?.polls ?? 0) >= 3 ? true : undefined),
      500,
    );
    figures.healthyPollMs = watcher.stats('live')!.lastMs;
    const notices = posts().filter((p) => messageText(p).includes('cannot be watched'));
    expect(notices).toHaveLength(1);
    expect(messageText(notices[0]!)).toMatch(/cut\* cannot be watched since/);
    expect(posts().filter((p) => !messageText(p).includes('cannot be watched'))).toEqual([]);
  }, 120_000);

  it('rabbit2 stopped → an alert with a Restart button within two intervals; a viewer is refused; the admin confirms; recovery in its thread', async () => {
    await c.cluster.composeChecked(['stop', 'rabbit2'], 120_000);
    const t0 = Date.now();
    const alert = await waitForPost('the node-down alert', (p) => messageText(p).includes('rabbit2 is not running'), 2 * INTERVAL_S * 1000 + 30_000);
    figures.detectMs = Date.now() - t0;
    expect(figures.detectMs).toBeLessThanOrEqual(2 * INTERVAL_S * 1000);
    const alertTs = String(alert.response?.ts);
    const restart = buttonsOf(alert).find((b) => b.text.text === 'Restart rabbit2');
    expect(restart).toBeDefined();

    await click(VIEWER, restart!.action_id, restart!.value, alertTs);
    await waitFor('the refusal', 10_000, async () => api.of('response_url').find((r) => messageText(r).includes('Not allowed')), 100);
    expect(posts().some((p) => messageText(p).includes(CONFIRM_ACTION_ID))).toBe(false);

    await click(ADMIN, restart!.action_id, restart!.value, alertTs);
    const confirm = await waitForPost('the confirmation in the thread', (p) => messageText(p).includes(CONFIRM_ACTION_ID), 30_000);
    expect(confirm.params.thread_ts).toBe(alertTs);
    const run = buttonsOf(confirm).find((b) => b.action_id === CONFIRM_ACTION_ID)!;
    const confirmTs = String(confirm.response?.ts);
    const t1 = Date.now();
    await click(ADMIN, CONFIRM_ACTION_ID, run.value, confirmTs);
    await waitFor(
      'the restart result in place of the confirmation',
      300_000,
      async () => api.of('chat.update').find((u) => u.params.ts === confirmTs && messageText(u).includes('rabbit2 restarted and clustered')),
      1000,
    );
    figures.restartMs = Date.now() - t1;
    const recovered = await waitForPost('recovery in the thread', (p) => messageText(p).includes('Recovered at') && p.params.thread_ts === alertTs, 120_000);
    figures.alertToRecoveryMs = Date.now() - t0;
    expect(recovered).toBeDefined();
    const status = JSON.parse(await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'cluster_status', '--formatter', 'json'])) as { running_nodes: string[] };
    expect(status.running_nodes.sort()).toEqual(['rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3']);
    // the chart went up in the alert's thread: a real PNG, from the watcher's own samples
    const chart = await keepChart(api.of('file.upload')[0], 'alert');
    expect(pngSize(chart)).toEqual({ width: 900, height: 500 });
    expect(api.of('files.completeUploadExternal').some((u) => u.params.thread_ts === alertTs)).toBe(true);
    expect(posts().filter((p) => messageText(p).includes('rabbit2 is not running'))).toHaveLength(1);
  }, 600_000);

  it('a memory alarm (set_vm_memory_high_watermark) → a CRITICAL alarm alert → cleared when the watermark is back', async () => {
    await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', 'set_vm_memory_high_watermark', '0.000001']);
    const t0 = Date.now();
    try {
      const alert = await waitForPost('the alarm alert', (p) => /memory alarm on rabbit1/.test(messageText(p)), 2 * INTERVAL_S * 1000 + 30_000);
      figures.alarmDetectMs = Date.now() - t0;
      expect(messageText(alert)).toMatch(/is CRITICAL since/);
    } finally {
      await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', 'set_vm_memory_high_watermark', '0.6']);
    }
    await waitForPost(
      'the alarm recovery',
      (p) => messageText(p).includes('Recovered at') && posts().filter((x) => messageText(x).includes('Recovered at')).length >= 2,
      120_000,
    );
    expect(bot.runtime.watcher!.open().incidents).toEqual([]);
    expect(posts().filter((p) => messageText(p).includes('cannot be watched'))).toHaveLength(1);
  }, 300_000);

  it('/rmq status carries a chart of the last hour from the management API', async () => {
    const before = api.of('file.upload').length;
    await postSigned(url, SECRET, slashBody({ user_id: VIEWER, channel_id: ALERTS, text: 'status live', response_url: api.responseUrl() }));
    await waitFor('the status chart', 60_000, async () => (api.of('file.upload').length > before ? true : undefined), 250);
    expect(pngSize(await keepChart(api.of('file.upload').at(-1), 'status'))).toEqual({ width: 900, height: 500 });
    expect(logger.lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
  }, 120_000);
});

/** The PNG an upload carried; kept in RMQ_CAPTURE_CHARTS (a folder) to look at when set. */
async function keepChart(call: RecordedCall | undefined, name: string): Promise<Buffer> {
  const png = call && uploadedPng(call);
  if (!png) throw new Error(`no PNG in the ${name} chart upload`);
  const dir = process.env.RMQ_CAPTURE_CHARTS;
  if (dir) await writeFile(join(dir, `watcher-${name}.png`), png);
  return png;
}
