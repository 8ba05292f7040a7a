import { buildBotApp } from '../bot/app.js';
import { parseBotConfig } from '../bot/config.js';
import { FakeSlackApi } from '../test/support/fake-slack-api.js';
import { fakeManifest, MemoryAudit, MemoryLock, writeFakeCluster } from '../test/support/memory-ops.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postSigned, slashBody, TEST_SIGNING_SECRET } from '../test/support/signed-request.js';
import { OpsCore, type ActionDefinition } from '../ops/index.js';
import { StderrLogger } from '../bot/logger.js';

const SECRET = TEST_SIGNING_SECRET;

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/**
 * Slash-command ack latency: n signed `/rmq status` POSTs, one after another, to the real Bolt
 * app on its HTTP receiver (127.0.0.1), measured until Slack would have its 200. The Web API is
 * a local fake, and the action is in memory, so this is the bot's own cost (verify, route, ack).
 */
export async function benchAck(n = 200): Promise<{ p50: number; p99: number }> {
  const api = await new FakeSlackApi().start();
  const status: ActionDefinition = {
    name: 'status',
    usage: 'status [cluster]',
    summary: 'cluster health',
    mutating: false,
    dangerous: false,
    parse: () => ({}),
    // status data the renderer can draw: with none, every delivery after the ack failed and logged an error
    run: async () => ({
      ok: true,
      headline: 'bench: 3/3 nodes running',
      text: '',
      data: {
        cluster: 'bench',
        nodes: ['rabbit1', 'rabbit2', 'rabbit3'].map((name) => ({ name, running: true, alarms: [], container: 'running', clustered: true })),
        partitions: [],
        source: 'bench',
        healthy: true,
      },
    }),
  };
  const dir = await mkdtemp(join(tmpdir(), 'rmq-ack-bench-'));
  await writeFakeCluster(dir, fakeManifest('bench'));
  const config = parseBotConfig(
    { mode: 'http', clusters: { bench: dir }, resultsChannel: 'C0RESULTS', authorization: { readOnly: { users: ['*'], channels: ['*'] } }, logLevel: 'error' },
    '/virtual/rmq-bot.yaml',
    { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET },
  );
  const bot = buildBotApp(
    config,
    { ops: new OpsCore({ actions: [status], audit: { sink: new MemoryAudit() }, lock: new MemoryLock() }), audit: new MemoryAudit() },
    { slackApiUrl: api.apiUrl, logger: new StderrLogger('error'), clientOptions: { retryConfig: { retries: 0 } } },
  );
  try {
    const { port } = await bot.start({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${port}/slack/events`;
    const times: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const res = await postSigned(url, SECRET, slashBody({ user_id: 'U0BENCH', channel_id: 'C0BENCH', text: 'status', response_url: api.responseUrl() }));
      if (res.status !== 200) throw new Error(`ack bench: request ${i} got HTTP ${res.status}`);
      times.push(res.ms);
    }
    await bot.idle();
    times.sort((a, b) => a - b);
    return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
  } finally {
    await bot.stop().catch(() => undefined);
    await api.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
