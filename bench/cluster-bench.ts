import { publishAll } from '../test/e2e/clients/amqp-load.js';
import { waitClustered } from '../test/e2e/harness/cluster-probes.js';
import { setupE2e, type E2eHarness } from '../test/e2e/harness/e2e-env.js';
import { openGeneratedCluster, type GeneratedCluster } from '../test/e2e/harness/generated-cluster.js';
import { scenarioSpec } from '../test/e2e/harness/scenario-spec.js';
import { joinLikeSeed } from '../test/e2e/harness/seed-deploy.js';

/**
 * Real clusters on the e2e harness's private Docker engine (the e2e modules are jest-free; tsc
 * compiles what bench imports from test/ into dist/test/). Ratios against a baseline measured in
 * the same run: auto formation of 3/5/7 nodes against the seed's manual join of 3, and AMQP
 * publishing through nginx against publishing straight to the node. Needs root (it starts dockerd).
 */
const PORT_BASE = 27000;
const LB_PORT = 27670;

async function withCluster<T>(h: E2eHarness, label: string, spec: object, fn: (c: GeneratedCluster) => Promise<T>): Promise<T> {
  const cluster = await openGeneratedCluster(label, spec, h.env, h.runner);
  try {
    return await fn(cluster);
  } finally {
    await cluster.down();
  }
}

/** ms from `up` to every node running in one cluster. */
async function formation(h: E2eHarness, size: number, manual: boolean): Promise<number> {
  const spec = scenarioSpec({
    name: `bench-${manual ? 'manual' : 'auto'}-${size}`,
    image: h.images.v3.ref,
    version: '3.10.8',
    nodes: size,
    formation: manual ? 'manual' : 'auto',
    subnet: 71 + size,
    portBase: PORT_BASE,
  });
  return withCluster(h, `bench-form-${size}`, spec, async (cluster) => {
    const started = Date.now();
    await cluster.up();
    if (manual) await joinLikeSeed(cluster);
    const names = cluster.model.nodes.map((n) => n.name);
    await waitClustered(cluster, names[0]!, names, 600_000);
    return Date.now() - started;
  });
}

/** Confirmed publishes per second: persistent messages to a durable queue, like the e2e load. */
async function rate(url: string, queue: string, total = 20_000): Promise<number> {
  const report = await publishAll({ url, queue, queueType: 'classic' }, total, { batch: 500, budgetMs: 300_000 });
  return total / (report.durationMs / 1000);
}

async function amqpThroughput(h: E2eHarness): Promise<{ direct: number; nginx: number }> {
  const spec = scenarioSpec({
    name: 'bench-throughput',
    image: h.images.v3.ref,
    version: '3.10.8',
    nodes: 1,
    listeners: [{ protocol: 'amqp', port: LB_PORT }],
    subnet: 79,
    portBase: PORT_BASE,
  });
  return withCluster(h, 'bench-throughput', spec, async (cluster) => {
    await cluster.up();
    await waitClustered(cluster, 'rabbit1', ['rabbit1']);
    const { user, pass } = cluster.admin;
    const auth = `${encodeURIComponent(user)}:${encodeURIComponent(pass)}`;
    const directUrl = `amqp://${auth}@127.0.0.1:${cluster.model.nodes[0]!.ports.amqp}`;
    const nginxUrl = `amqp://${auth}@127.0.0.1:${LB_PORT}`;
    await rate(directUrl, 'bench-warmup', 5000);
    // alternate, best of two each: a slow phase of the machine should not land on one side only
    const rates = { direct: 0, nginx: 0 };
    for (const round of ['a', 'b']) {
      rates.direct = Math.max(rates.direct, await rate(directUrl, `bench-direct-${round}`));
      rates.nginx = Math.max(rates.nginx, await rate(nginxUrl, `bench-nginx-${round}`));
    }
    return rates;
  });
}

export async function benchClusters(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['skipped: needs root to start the private Docker engine (run as root, like the e2e tests)'];
  const h = await setupE2e();
  try {
    const lines: string[] = [];
    const manual3 = await formation(h, 3, true);
    lines.push(`formation, seed's manual join, 3 nodes (3.10)   ${String(manual3).padStart(7)} ms  = 1.00x baseline`);
    for (const size of [3, 5, 7]) {
      const ms = await formation(h, size, false);
      lines.push(`formation, auto (peer discovery), ${size} nodes (3.10) ${String(ms).padStart(7)} ms  = ${(ms / manual3).toFixed(2)}x manual 3-node`);
    }
    const { direct, nginx } = await amqpThroughput(h);
    lines.push(`AMQP confirmed publish, direct to the node       ${direct.toFixed(0).padStart(7)} msg/s`);
    lines.push(`AMQP confirmed publish, through nginx            ${nginx.toFixed(0).padStart(7)} msg/s = ${(nginx / direct).toFixed(2)}x direct`);
    return lines;
  } finally {
    await h.engine.stop();
  }
}
