import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildBotApp } from '../bot/app.js';
import { CLI } from '../test/helpers/cli.js';
import { parseBotConfig } from '../bot/config.js';
import { StderrLogger } from '../bot/logger.js';
import { createOpsDeps } from '../bot/ops-wiring.js';
import { FakeSlackApi } from '../test/support/fake-slack-api.js';
import { postSigned, slashBody, TEST_SIGNING_SECRET } from '../test/support/signed-request.js';
import { setupE2e } from '../test/e2e/harness/e2e-env.js';
import { openGeneratedCluster } from '../test/e2e/harness/generated-cluster.js';
import { deployWithOps } from '../test/e2e/harness/ops-deploy.js';
import { SEED_NODES, scenarioSpec } from '../test/e2e/harness/scenario-spec.js';

/**
 * `/rmq status` end to end through the real bot (signed request → Bolt → ops core → docker
 * compose / management API → Block Kit update on a local fake Slack Web API), against the
 * cheapest useful question one can ask the same cluster by hand: `docker compose exec rabbit1
 * rabbitmqctl cluster_status`. Same 3-node RabbitMQ 3.10 cluster (rabbit1 disc, rabbit2/3 ram,
 * deployed by the ops core), same run, alternating, median of `runs` each after a warm-up.
 * Subnet 172.30.202.0/24 and host ports 32000+ (the ops e2e range). Needs root (private dockerd).
 */
const SECRET = TEST_SIGNING_SECRET;

export interface StatusBench {
  runs: number;
  botMedianMs: number;
  cliMedianMs: number;
  ctlMedianMs: number;
  ratio: number;
  cliRatio: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function benchStatus(runs = 10): Promise<StatusBench> {
  const h = await setupE2e();
  const saved = new Map(Object.keys(h.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, h.env);
  try {
    const spec = scenarioSpec({
      name: 'bench-status',
      image: h.images.v3.ref,
      version: '3.10.8',
      nodes: SEED_NODES,
      formation: 'manual',
      subnet: 202,
      portBase: 32000,
    });
    const cluster = await openGeneratedCluster('bench-status', spec, h.env, h.runner);
    const home = await mkdtemp(join(tmpdir(), 'rmq-bench-status-'));
    const api = await new FakeSlackApi().start();
    try {
      const deployed = await deployWithOps(cluster, h.env, h.runner);
      if (!deployed.ok) throw new Error(`status bench: deploy failed: ${deployed.headline}`);

      const config = parseBotConfig(
        {
          mode: 'http',
          clusters: { bench: cluster.clusterDir },
          defaultCluster: 'bench',
          resultsChannel: 'C0RESULTS',
          authorization: { readOnly: { users: ['*'], channels: ['*'] } },
          logLevel: 'error',
        },
        join(home, 'rmq-bot.yaml'),
        { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET },
      );
      const bot = buildBotApp(config, await createOpsDeps(config), {
        slackApiUrl: api.apiUrl,
        logger: new StderrLogger('error'),
        clientOptions: { retryConfig: { retries: 0 } },
      });
      const { port } = await bot.start({ port: 0, host: '127.0.0.1' });
      try {
        const url = `http://127.0.0.1:${port}/slack/events`;
        const viaBot = async (): Promise<number> => {
          const before = api.of('chat.update').length;
          const t0 = performance.now();
          const res = await postSigned(url, SECRET, slashBody({ user_id: 'U0BENCH', channel_id: 'C0BENCH', text: 'status', response_url: api.responseUrl() }));
          if (res.status !== 200) throw new Error(`status bench: HTTP ${res.status}`);
          await bot.idle();
          const ms = performance.now() - t0;
          const last = api.of('chat.update').slice(before).at(-1);
          if (!last || !JSON.stringify(last.params.blocks ?? '').includes('3/3 up')) throw new Error('status bench: the bot did not post a 3/3 node table');
          return ms;
        };
        const viaCtl = async (): Promise<number> => {
          const t0 = performance.now();
          await cluster.composeChecked(['exec', '-T', 'rabbit1', 'rabbitmqctl', 'cluster_status'], 60_000);
          return performance.now() - t0;
        };
        // `rmq-compose status` from a terminal: a whole process, like the baseline
        const viaCli = async (): Promise<number> => {
          const t0 = performance.now();
          const r = await execa('node', [CLI, 'status', '-d', cluster.clusterDir], { env: { ...process.env, ...h.env }, reject: false, timeout: 60_000 });
          const ms = performance.now() - t0;
          if (r.exitCode !== 0 || !String(r.stdout).includes('3/3 nodes running'))
            throw new Error(`status bench: the CLI said ${String(r.stdout).split('\n')[0]} / ${String(r.stderr).split('\n')[0]}`);
          return ms;
        };
        await viaBot();
        await viaCli();
        await viaCtl();
        const botTimes: number[] = [];
        const cliTimes: number[] = [];
        const ctlTimes: number[] = [];
        for (let i = 0; i < runs; i++) {
          // alternate, so a slow phase of the machine lands on every side
          botTimes.push(await viaBot());
          cliTimes.push(await viaCli());
          ctlTimes.push(await viaCtl());
        }
        const botMedianMs = median(botTimes);
        const cliMedianMs = median(cliTimes);
        const ctlMedianMs = median(ctlTimes);
        return { runs, botMedianMs, cliMedianMs, ctlMedianMs, ratio: botMedianMs / ctlMedianMs, cliRatio: cliMedianMs / ctlMedianMs };
      } finally {
        await bot.stop().catch(() => undefined);
      }
    } finally {
      await api.close();
      await rm(home, { recursive: true, force: true });
      await cluster.down();
    }
  } finally {
    for (const [k, v] of saved)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await h.engine.stop();
  }
}

/** Lines for bench/run.ts. */
export async function benchStatusLines(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['skipped: needs root to start the private Docker engine (run as root, like the e2e tests)'];
  let r: StatusBench;
  try {
    r = await benchStatus(10);
  } catch (error) {
    // one failed section must not take the other figures of `npm run bench` with it
    return [`failed: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' / ') : String(error)}`];
  }
  return [
    `compose exec rabbit1 rabbitmqctl cluster_status   median ${r.ctlMedianMs.toFixed(0).padStart(6)} ms  = 1.00x baseline (${r.runs} runs)`,
    `/rmq status through the bot, 3 nodes (3.10)       median ${r.botMedianMs.toFixed(0).padStart(6)} ms  = ${r.ratio.toFixed(2)}x rabbitmqctl cluster_status`,
    `rmq-compose status in a terminal (whole process)  median ${r.cliMedianMs.toFixed(0).padStart(6)} ms  = ${r.cliRatio.toFixed(2)}x rabbitmqctl cluster_status`,
  ];
}

// `node dist/bench/status-bench.js` runs this bench alone
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchStatusLines()) process.stdout.write(`${line}\n`);
}
