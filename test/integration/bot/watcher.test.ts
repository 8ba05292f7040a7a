import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../lib/errors.js';
import type { AuditRecord, HealthFinding } from '../../../ops/index.js';
import { CONFIRM_ACTION_ID } from '../../../bot/render/confirm-blocks.js';
import { messageText, type RecordedCall } from '../../support/fake-slack-api.js';
import { MemoryLock } from '../../support/memory-ops.js';
import { ADMIN, OPS_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';
import { fakeActions } from './helpers/fake-actions.js';
import { observation as observed, ScriptedOps } from './helpers/scripted-ops.js';

/**
 * The watcher through the real Bolt app, as Slack drives it: polls are scripted (what `check`
 * would find), every press is a signed interactive payload, every post lands on the fake Web API.
 * The e2e (test/e2e/ops/watcher.test.ts) does the same on a real cluster.
 */
const nodeDown: HealthFinding = {
  check: 'node-down',
  severity: 'degraded',
  subject: 'rabbit2',
  what: 'rabbit2 is not running (container exited)',
  action: '`rmq-compose restart rabbit2`',
  run: { action: 'restart', argv: ['rabbit2'] },
};
const maintenance: HealthFinding = {
  check: 'maintenance',
  severity: 'degraded',
  subject: 'rabbit3',
  what: 'rabbit3 is in maintenance mode (drained)',
  action: '`rmq-compose revive rabbit3`',
  run: { action: 'revive', argv: ['rabbit3'] },
};

/** Polls 30 s apart from a fixed moment: the alert logic reads the poll's time, never the wall clock. */
let pollAt = Date.UTC(2026, 10, 28, 14, 0);
const observation = (findings: HealthFinding[]) => observed(findings, (pollAt += 30_000));

/** `expected` (action:result) all present, in this order; other lines may come between. */
function expectInOrder(entries: readonly AuditRecord[], expected: readonly string[]): void {
  const lines = entries.map((r) => `${r.action}:${r.result}`);
  let from = 0;
  for (const want of expected) {
    const at = lines.indexOf(want, from);
    expect({ want, lines, found: at >= 0 }).toEqual({ want, lines, found: true });
    from = at + 1;
  }
}

const posts = (f: BotFixture, channel = OPS_CHANNEL) => f.api.of('chat.postMessage').filter((c) => c.params.channel === channel);
const buttonsOf = (call: RecordedCall) =>
  ((call.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>) ?? []).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []) : [],
  );

describe('the watcher in the bot', () => {
  let f: BotFixture;
  let ops: ScriptedOps;
  beforeEach(async () => {
    f = await startBotFixture({
      ops: (state, audit) => (ops = new ScriptedOps({ actions: fakeActions(state), lock: new MemoryLock(), audit: { sink: audit } })),
      extraConfig: { watch: { clusters: { seed: { channel: OPS_CHANNEL, intervalSeconds: 30 }, other: { channel: OPS_CHANNEL, intervalSeconds: 30 } } } },
    });
  });
  beforeEach(() => {
    ops.names = new Map(Object.entries(f.bot.runtime.config.clusters).map(([name, dir]) => [dir, name]));
  });
  afterEach(async () => f.close());

  test('node down → one alert with a Restart button; an unauthorized press is refused; an authorized one asks, runs in the thread; recovery in the thread', async () => {
    const watcher = f.bot.runtime.watcher!;
    ops.next.set('seed', () => observation([nodeDown]));
    ops.next.set('other', () => observation([]));
    await watcher.pollNow('seed');
    await watcher.pollNow('seed');
    const alerts = posts(f).filter((c) => messageText(c).includes('rabbit2 is not running'));
    expect(alerts).toHaveLength(1);
    // the default checks read nothing only a docker exec per node tells: it is not asked
    expect(ops.options.map((o) => o.askNodes)).toEqual([false, false]);
    const alert = alerts[0]!;
    const alertTs = String(alert.response?.ts);
    expect(messageText(alert)).toMatch(/seed\* is DEGRADED since/);
    const buttons = buttonsOf(alert);
    expect(buttons.map((b) => b.text.text)).toEqual(['Restart rabbit2', 'Show status', 'Show logs rabbit2', 'Ack']);

    const restart = buttons[0]!;
    // a viewer may read but not restart: refused, nothing run, no confirmation posted
    await f.click(VIEWER, restart.action_id, restart.value, alertTs);
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('Not allowed')), 'the refusal');
    await f.bot.idle();
    expect(f.state.runs).toEqual([]);

    await f.click(ADMIN, restart.action_id, restart.value, alertTs);
    await f.api.waitFor(() => posts(f).some((c) => messageText(c).includes(CONFIRM_ACTION_ID)), 'the confirmation');
    const confirm = posts(f).find((c) => messageText(c).includes(CONFIRM_ACTION_ID))!;
    expect(confirm.params.thread_ts).toBe(alertTs);
    expect(f.state.runs).toEqual([]);
    const run = buttonsOf(confirm).find((b) => b.action_id === CONFIRM_ACTION_ID)!;
    await f.click(ADMIN, CONFIRM_ACTION_ID, run.value, String(confirm.params.ts ?? '1700000002.000100'));
    await f.api.waitFor(() => f.state.runs.length === 1, 'the restart');
    await f.bot.idle();
    expect(f.state.runs).toEqual([{ action: 'restart', args: { node: 'rabbit2' }, actor: ADMIN }]);
    // each step was answered before the next was taken, and a line is written before its answer
    expectInOrder(f.audit.entries, ['restart:denied', 'restart:pending', 'restart:started', 'restart:ok']);

    ops.next.set('seed', () => observation([]));
    await watcher.pollNow('seed');
    await watcher.pollNow('seed');
    const recovery = posts(f).find((c) => messageText(c).includes('Recovered at'));
    expect(recovery?.params.thread_ts).toBe(alertTs);
    const last = f.api
      .of('chat.update')
      .filter((c) => c.params.ts === alertTs)
      .at(-1)!;
    expect(messageText(last)).toMatch(/seed\* recovered at/);
    expect(buttonsOf(last)).toEqual([]);
    // a button pressed after recovery runs nothing that changes the cluster
    await f.click(ADMIN, restart.action_id, restart.value, alertTs);
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('has recovered: nothing was run')), 'the late-press answer');
    expect(f.state.runs).toHaveLength(1);
  });

  test('a certificate near its end alerts by default (degraded), with rotate-certs in the text; no button for an action this bot does not run', async () => {
    const expiring: HealthFinding = {
      check: 'certificate-expiry',
      severity: 'degraded',
      subject: 'rabbit1',
      what: "rabbit1's certificate expires in 12 days (2026-12-10): TLS clients refuse it from then on",
      action: '`rmq-compose rotate-certs`',
      run: { action: 'rotate-certs', argv: [] },
    };
    ops.next.set('seed', () => observation([expiring]));
    await f.bot.runtime.watcher!.pollNow('seed');
    const alerts = posts(f).filter((c) => messageText(c).includes("rabbit1's certificate expires in 12 days"));
    expect(alerts).toHaveLength(1);
    expect(messageText(alerts[0]!)).toMatch(/seed\* is DEGRADED since/);
    expect(messageText(alerts[0]!)).toContain('`rmq-compose rotate-certs`');
    // these fake actions have no rotate-certs: offering it would only earn "not an action this bot runs" on press
    expect(buttonsOf(alerts[0]!).map((b) => b.text.text)).toEqual(['Show status', 'Ack']);
  });

  test('a crafted button naming a step the alert did not offer runs nothing', async () => {
    ops.next.set('seed', () => observation([nodeDown]));
    await f.bot.runtime.watcher!.pollNow('seed');
    await f.click(ADMIN, 'rmq_alert_run_0', JSON.stringify({ i: 'seed-1', s: 'drain rabbit1' }), '1700000001.000100');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('no longer offers that step')), 'the refusal');
    await f.bot.idle();
    expect(f.state.runs).toEqual([]);
    expect(f.audit.entries.at(-1)).toMatchObject({ action: 'alert-button', result: 'rejected', detail: 'step not offered by the alert' });
  });

  test('one cluster unreachable: said once over many polls, the other still alerts; its return said once', async () => {
    const watcher = f.bot.runtime.watcher!;
    ops.next.set('other', () => {
      throw new UserError('Docker engine at unix:///nowhere.sock does not answer');
    });
    ops.next.set('seed', () => observation([nodeDown]));
    for (let i = 0; i < 5; i += 1) await watcher.pollNow('other');
    await watcher.pollNow('seed');
    const notices = posts(f).filter((c) => messageText(c).includes('cannot be watched'));
    expect(notices).toHaveLength(1);
    expect(messageText(notices[0]!)).toMatch(/other\* cannot be watched since .*: Docker engine at unix:\/\/\/nowhere.sock does not answer/);
    expect(posts(f).filter((c) => messageText(c).includes('rabbit2 is not running'))).toHaveLength(1);
    expect(f.logger.lines.filter((l) => l.includes('watch other'))).toHaveLength(1);
    ops.next.set('other', () => observation([]));
    await watcher.pollNow('other');
    await watcher.pollNow('other');
    expect(posts(f).filter((c) => messageText(c).includes('answers again (unreachable'))).toHaveLength(1);
  });

  test('/rmq alerts lists open alerts; /rmq ack needs the mutating rule, silences it, and the message says who', async () => {
    ops.next.set('seed', () => observation([nodeDown]));
    await f.bot.runtime.watcher!.pollNow('seed');
    await f.slash(VIEWER, 'alerts');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('`seed-1` *seed* DEGRADED')), 'the list');
    await f.slash(VIEWER, 'ack seed-1');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('Not allowed')), 'the refusal');
    await f.slash(ADMIN, 'ack seed-9');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('No open alert `seed-9`')), 'unknown alert');
    await f.slash(ADMIN, 'ack seed-1');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('silenced until it recovers')), 'the ack');
    await f.bot.idle();
    const updated = f.api.of('chat.update').at(-1)!;
    expect(messageText(updated)).toMatch(new RegExp(`acknowledged by <@${ADMIN}>`));
    expect(buttonsOf(updated).map((b) => b.text.text)).not.toContain('Ack');
    // every command above was sent after the previous one's answer, and each line is written
    // before its answer: the log holds them in that order, whatever the write speeds
    expect(f.audit.entries.filter((r) => r.action === 'ack').map((r) => r.result)).toEqual(['denied', 'rejected', 'ok']);
  });

  test('a button whose step the alert no longer offers (its finding cleared) runs nothing, and says so', async () => {
    const watcher = f.bot.runtime.watcher!;
    ops.next.set('seed', () => observation([nodeDown, maintenance]));
    await watcher.pollNow('seed');
    const alert = posts(f).find((c) => messageText(c).includes('rabbit2 is not running'))!;
    const alertTs = String(alert.response?.ts);
    const restart = buttonsOf(alert).find((b) => b.text.text === 'Restart rabbit2')!;
    // rabbit2 is back, rabbit3 still drained: the alert stays open, its Restart button is gone
    ops.next.set('seed', () => observation([maintenance]));
    await watcher.pollNow('seed');
    const updated = f.api
      .of('chat.update')
      .filter((c) => c.params.ts === alertTs)
      .at(-1)!;
    expect(buttonsOf(updated).map((b) => b.text.text)).toEqual(['Show status', 'Show logs rabbit3', 'Ack']);

    // the old button, still on someone's screen
    await f.click(ADMIN, restart.action_id, restart.value, alertTs);
    const asked = () => posts(f).filter((c) => messageText(c).includes(CONFIRM_ACTION_ID));
    await f.api.waitFor(() => f.api.of('response_url').length > 0 || asked().length > 0, 'the answer');
    await f.bot.idle();
    expect(asked()).toEqual([]);
    expect(messageText(f.api.of('response_url').at(-1)!)).toContain('Alert `seed-1` no longer offers that step (`restart rabbit2`)');
    expect(f.state.runs).toEqual([]);
    expect(f.audit.entries.at(-1)).toMatchObject({
      action: 'alert-button',
      result: 'rejected',
      args: ['restart rabbit2'],
      detail: 'step not offered by the alert',
    });
  });
});

describe('audit lines and answers', () => {
  let f: BotFixture;
  let ops: ScriptedOps;
  afterEach(async () => f.close());

  test("a line is written before its answer: a slow cluster log is never overtaken by the next command (the ack test's flake)", async () => {
    f = await startBotFixture({
      ops: (state, audit) =>
        (ops = new ScriptedOps({
          actions: fakeActions(state),
          lock: new MemoryLock(),
          // the cluster's log is slow (a busy disk); the bot's own log (no cluster named) is not
          audit: {
            sink: {
              record: async (e) => {
                await new Promise((r) => setTimeout(r, 150));
                await audit.record(e);
              },
            },
          },
        })),
      extraConfig: { watch: { clusters: { seed: { channel: OPS_CHANNEL, intervalSeconds: 30 } } } },
    });
    ops.names = new Map(Object.entries(f.bot.runtime.config.clusters).map(([name, dir]) => [dir, name]));
    ops.next.set('seed', () => observation([nodeDown]));
    await f.bot.runtime.watcher!.pollNow('seed');

    await f.slash(VIEWER, 'ack seed-1');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('Not allowed')), 'the refusal');
    // told, so already on record
    expect(f.audit.entries.map((r) => `${r.action}:${r.result}`)).toEqual(['ack:denied']);
    await f.slash(ADMIN, 'ack seed-9');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('No open alert')), 'unknown alert');
    await f.bot.idle();
    expect(f.audit.entries.map((r) => `${r.action}:${r.result}`)).toEqual(['ack:denied', 'ack:rejected']);
  });
});

describe("one history per cluster: the watcher's words and presses in the cluster's audit.log", () => {
  let f: BotFixture;
  let ops: ScriptedOps;
  beforeEach(async () => {
    f = await startBotFixture({
      // each cluster's real audit.log; only lines naming no cluster reach the bot's own (f.audit)
      ops: (state) => (ops = new ScriptedOps({ actions: fakeActions(state), lock: new MemoryLock() })),
      extraConfig: { watch: { clusters: { seed: { channel: OPS_CHANNEL, intervalSeconds: 30 } } } },
    });
    ops.names = new Map(Object.entries(f.bot.runtime.config.clusters).map(([name, dir]) => [dir, name]));
  });
  afterEach(async () => f.close());

  test('an ack, a refused ack and a press on a stale alert are lines of the cluster, not of the bot', async () => {
    const watcher = f.bot.runtime.watcher!;
    ops.next.set('seed', () => observation([nodeDown]));
    await watcher.pollNow('seed');
    const alert = posts(f).find((c) => messageText(c).includes('rabbit2 is not running'))!;
    const restart = buttonsOf(alert).find((b) => b.text.text === 'Restart rabbit2')!;
    await f.slash(VIEWER, 'ack seed-1');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('Not allowed')), 'the refusal');
    await f.slash(ADMIN, 'ack seed-1');
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('silenced until it recovers')), 'the ack');
    // rabbit2 is back: the Restart button still on screen is stale
    ops.next.set('seed', () => observation([]));
    await watcher.pollNow('seed');
    await f.click(ADMIN, restart.action_id, restart.value, String(alert.response?.ts));
    await f.api.waitFor(() => f.api.of('response_url').some((c) => messageText(c).includes('no longer offers that step')), 'the answer to the press');
    await f.bot.idle();
    const lines = (await readFile(join(f.clusterDir, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(lines.map((r) => `${r.action}:${r.result}`)).toEqual(['ack:denied', 'ack:ok', 'alert-button:rejected']);
    expect(lines.at(-1)).toMatchObject({ cluster: 'seed', args: ['restart rabbit2'], detail: 'step not offered by the alert' });
    expect(f.audit.entries).toEqual([]);
  });
});
