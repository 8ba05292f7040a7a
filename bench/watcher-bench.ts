import { TEST_SIGNING_SECRET } from '../test/support/signed-request.js';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBotApp, type BotApp } from '../bot/app.js';
import { parseBotConfig } from '../bot/config.js';
import { StderrLogger } from '../bot/logger.js';
import { createOpsDeps } from '../bot/ops-wiring.js';
import { runAction } from '../ops/index.js';
import { FakeSlackApi, messageText } from '../test/support/fake-slack-api.js';
import { setupE2e } from '../test/e2e/harness/e2e-env.js';
import { openGeneratedCluster, type GeneratedCluster } from '../test/e2e/harness/generated-cluster.js';
import { deployWithOps } from '../test/e2e/harness/ops-deploy.js';
import { scenarioSpec } from '../test/e2e/harness/scenario-spec.js';

/**
 * The watcher on a real 3-node RabbitMQ 4.3 cluster (subnet 172.30.217.0/24, ports 42000+):
 * - detection latency, node stopped (docker compose stop returned) → alert posted on the fake
 *   Web API, for several poll intervals and stopped at several points between two polls, as a
 *   ratio of the interval (expected: the rest of the interval until the next poll, plus one poll);
 * - CPU per poll for one cluster: this process's user+system time plus its children's (docker
 *   CLI, compose), against the same figures for `rmq-compose check` run in-process (the poll is
 *   a check plus one management API sample).
 * Nothing here asserts a time.
 */
const SECRET = TEST_SIGNING_SECRET;
const CHANNEL = 'CBENCHW1';
const INTERVALS_S = [5, 10, 20];
const CPU_RUNS = 10;
/** Where between two polls the node is stopped, as a fraction of the interval. */
const PHASES = [0, 0.5, 0.9];

/** CPU ms of this process and of its children that have been waited for (/proc/self/stat). */
function cpuMs(): { self: number; children: number } {
  const u = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // fields after "(comm) ": state is index 0, so cutime/cstime (stat fields 16/17) are 13/14, in clock ticks (100 Hz)
  const ticks = Number(fields[13]) + Number(fields[14]);
  return { self: (u.user + u.system) / 1000, children: ticks * 10 };
}

async function measureCpu(runs: number, once: () => Promise<unknown>): Promise<{ selfMs: number; childrenMs: number; wallMs: number }> {
  await once();
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await once();
  const c1 = cpuMs();
  return { selfMs: (c1.self - c0.self) / runs, childrenMs: (c1.children - c0.children) / runs, wallMs: (performance.now() - t0) / runs };
}

export async function benchWatcherLines(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['skipped: needs root to start the private Docker engine (run as root, like the e2e tests)'];
  const h = await setupE2e();
  const saved = new Map(Object.keys(h.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, h.env);
  const lines: string[] = [];
  let cluster: GeneratedCluster | undefined;
  const home = await mkdtemp(join(tmpdir(), 'rmq-bench-watch-'));
  const api = await new FakeSlackApi().start();
  try {
    cluster = await openGeneratedCluster(
      'bench-watch',
      scenarioSpec({ name: 'bench-watch', image: h.images.v43.ref, version: '4.3.6', nodes: 3, formation: 'auto', subnet: 217, portBase: 42000 }),
      h.env,
      h.runner,
    );
    const deployed = await deployWithOps(cluster, h.env, h.runner);
    if (!deployed.ok) throw new Error(`watcher bench: deploy failed: ${deployed.headline}`);
    const dir = cluster.clusterDir;

    for (const interval of INTERVALS_S) {
      const bot = await startBot(dir, home, api, interval);
      const { watcher } = bot.runtime;
      const latencies: number[] = [];
      try {
        await waitUntil(() => (watcher!.stats('live')?.polls ?? 0) >= 2, 120_000, 'two healthy polls');
        // the node stops at different points between two polls: right after one, mid-way, just before the next
        for (const phase of PHASES) {
          const polls = watcher!.stats('live')!.polls;
          await waitUntil(() => watcher!.stats('live')!.polls > polls, 2 * interval * 1000 + 60_000, 'a poll');
          await new Promise((r) => setTimeout(r, phase * interval * 1000));
          const posted = () => api.of('chat.postMessage').filter((p) => messageText(p).includes('rabbit2 is not running')).length;
          const before = posted();
          await cluster.composeChecked(['stop', 'rabbit2'], 120_000);
          const t0 = performance.now();
          await waitUntil(() => posted() > before, 3 * interval * 1000 + 60_000, 'the alert');
          latencies.push(performance.now() - t0);
          await cluster.composeChecked(['start', 'rabbit2'], 120_000);
          await waitUntil(() => watcher!.open().incidents.length === 0, 300_000, 'the recovery');
        }
      } finally {
        await bot.stop();
      }
      const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
      const pollMs = watcher!.stats('live')!.totalMs / watcher!.stats('live')!.polls;
      lines.push(
        `interval ${String(interval).padStart(2)} s: node stopped → alert posted, ${latencies.length} stops at ${PHASES.map((p) => `${p * 100}%`).join('/')} of the interval: ` +
          `${latencies.map((l) => (l / 1000).toFixed(1)).join(', ')} s; mean ${(mean / 1000).toFixed(1)} s = ${(mean / (interval * 1000)).toFixed(2)}x the interval, worst ${(Math.max(...latencies) / (interval * 1000)).toFixed(2)}x (a poll takes ${(pollMs / 1000).toFixed(1)} s)`,
      );
    }

    // CPU: a poll (check + sample, through the bot's watcher) against check alone, in-process
    const bot = await startBot(dir, home, api, 3600, false);
    try {
      const poll = await measureCpu(CPU_RUNS, () => bot.runtime.watcher!.pollNow('live'));
      const check = await measureCpu(CPU_RUNS, () => runAction('check', [], { dir, actor: { via: 'cli', id: 'bench' } }));
      const fmt = (m: { selfMs: number; childrenMs: number; wallMs: number }) =>
        `${m.selfMs.toFixed(0).padStart(4)} ms node + ${m.childrenMs.toFixed(0).padStart(4)} ms docker CLI (wall ${m.wallMs.toFixed(0)} ms)`;
      lines.push(`rmq-compose check, in-process (baseline)  CPU per run  ${fmt(check)} = 1.00x`);
      lines.push(
        `watcher poll, one cluster                 CPU per poll ${fmt(poll)} = ${((poll.selfMs + poll.childrenMs) / (check.selfMs + check.childrenMs)).toFixed(2)}x check`,
      );
      lines.push(`  at the default 30 s interval that is ${(((poll.selfMs + poll.childrenMs) / 30_000) * 100).toFixed(2)} % of one core per watched cluster`);
    } finally {
      await bot.stop();
    }
  } catch (error) {
    lines.push(`failed: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' / ') : String(error)}`);
  } finally {
    await api.close();
    await rm(home, { recursive: true, force: true });
    await cluster?.down().catch(() => undefined);
    for (const [k, v] of saved)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await h.engine.stop();
  }
  return lines;
}

async function startBot(dir: string, home: string, api: FakeSlackApi, intervalSeconds: number, timers = true): Promise<BotApp> {
  const config = parseBotConfig(
    {
      mode: 'http',
      clusters: { live: dir },
      resultsChannel: 'CBENCHR1',
      authorization: { readOnly: { users: ['*'], channels: ['*'] } },
      logLevel: 'error',
      watch: { clusters: { live: { channel: CHANNEL, intervalSeconds, clearAfter: 1, flapWindowSeconds: 0, chart: false } } },
    },
    join(home, 'rmq-bot.yaml'),
    { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET },
  );
  const bot = buildBotApp(config, createOpsDeps(config), {
    slackApiUrl: api.apiUrl,
    logger: new StderrLogger('error'),
    clientOptions: { retryConfig: { retries: 0 } },
    watchTimers: timers,
  });
  await bot.start({ port: 0, host: '127.0.0.1' });
  return bot;
}

async function waitUntil(ok: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`watcher bench: no ${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// `node dist-bench/bench/watcher-bench.js` runs this bench alone
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchWatcherLines()) process.stdout.write(`${line}\n`);
}
