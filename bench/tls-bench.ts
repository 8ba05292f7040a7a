import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publishAll } from '../test/e2e/clients/amqp-load.js';
import { trustClusterCa } from '../test/e2e/clients/client-tls.js';
import { setupE2e, type E2eHarness } from '../test/e2e/harness/e2e-env.js';
import { openGeneratedCluster, type GeneratedCluster } from '../test/e2e/harness/generated-cluster.js';
import { deployWithOps } from '../test/e2e/harness/ops-deploy.js';
import { subnetOf } from '../test/e2e/harness/scenario-spec.js';

/**
 * TLS on a real 3-node RabbitMQ 4.3 cluster on one machine (subnets 172.30.222-224, ports 43000+):
 * - confirmed publish throughput through nginx: AMQPS passed through to the brokers, and AMQPS
 *   ended at nginx (re-encrypted to the brokers), each against plain AMQP through the same nginx
 *   in the same run (the baseline);
 * - cluster formation (deploy: up, healthy, clustered) with Erlang distribution over TLS against
 *   the same cluster without it.
 * Nothing here asserts a time.
 */
const MESSAGES = 60_000;
const PORT_BASE = 43000;
const ROUNDS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Variant {
  label: string;
  subnet: number;
  clients: 'passthrough' | 'terminate';
  interNode: boolean;
}

function spec(h: E2eHarness, v: Variant, portBase: number): Record<string, unknown> {
  return {
    name: `bench-${v.label}`,
    rabbitmq: { image: h.images.v43.ref, version: '4.3.6', plugins: ['rabbitmq_management'] },
    nodes: [1, 2, 3].map((i) => ({
      name: `rabbit${i}`,
      ports: { amqp: portBase + 10 + i, management: portBase + 20 + i, amqps: portBase + 30 + i, https: portBase + 40 + i },
    })),
    loadBalancer: {
      image: h.images.v43.ref,
      listeners: [
        { protocol: 'amqp', port: portBase + 1 },
        { protocol: 'amqps', port: portBase + 2 },
      ],
    },
    network: { subnet: `${subnetOf(v.subnet)}.0/24` },
    limits: { nofile: 0 },
    tls: { clients: v.clients, interNode: v.interNode },
  };
}

/** Messages confirmed per second, publishing MESSAGES persistent messages to a quorum queue in batches of 250 (about 3 s here). */
async function throughput(url: string, queue: string): Promise<number> {
  const report = await publishAll({ url, queue, queueType: 'quorum' }, MESSAGES, { batch: 250, budgetMs: 300_000 });
  return MESSAGES / (report.durationMs / 1000);
}

export async function benchTlsLines(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['skipped: needs root to start the private Docker engine (run as root, like the e2e tests)'];
  const h = await setupE2e();
  const saved = new Map(Object.keys(h.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, h.env);
  const lines: string[] = [];
  const variants: Variant[] = [
    { label: 'passthrough', subnet: 222, clients: 'passthrough', interNode: false },
    { label: 'terminate', subnet: 223, clients: 'terminate', interNode: false },
    { label: 'internode', subnet: 224, clients: 'passthrough', interNode: true },
  ];
  const results = new Map<string, { deployMs: number; amqp: number; amqps: number }>();
  try {
    for (const [i, v] of variants.entries()) {
      const portBase = PORT_BASE + i * 100;
      let cluster: GeneratedCluster | undefined;
      try {
        cluster = await openGeneratedCluster(`bench-${v.label}`, spec(h, v, portBase), h.env, h.runner);
        const t0 = performance.now();
        const deployed = await deployWithOps(cluster, h.env, h.runner);
        const deployMs = performance.now() - t0;
        if (!deployed.ok) throw new Error(`deploy failed: ${deployed.headline}`);
        trustClusterCa(await readFile(join(cluster.clusterDir, 'tls', 'ca.pem'), 'utf8'));
        const auth = `${encodeURIComponent(cluster.admin.user)}:${encodeURIComponent(cluster.admin.pass)}`;
        // a first short run warms the connections and the queue leaders, then the figures
        await throughput(`amqp://${auth}@127.0.0.1:${portBase + 1}`, 'bench-warm');
        // interleaved rounds, the median of each: a busy shared machine drifts over a run
        const amqpRates: number[] = [];
        const amqpsRates: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          amqpRates.push(await throughput(`amqp://${auth}@127.0.0.1:${portBase + 1}`, `bench-amqp-${round}`));
          amqpsRates.push(await throughput(`amqps://${auth}@127.0.0.1:${portBase + 2}`, `bench-amqps-${round}`));
        }
        results.set(v.label, { deployMs, amqp: median(amqpRates), amqps: median(amqpsRates) });
      } finally {
        trustClusterCa(undefined);
        await cluster?.down().catch(() => undefined);
      }
    }
    const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} msg/s`;
    for (const v of variants) {
      const r = results.get(v.label)!;
      const mode = v.clients === 'passthrough' ? 'AMQPS passed through nginx to the brokers' : 'AMQPS ended at nginx, re-encrypted to the brokers';
      lines.push(
        `${v.label.padEnd(11)} median of ${ROUNDS}: plain AMQP through nginx (baseline) ${fmt(r.amqp)} = 1.00x; ${mode}${v.interNode ? ' (inter-node TLS on)' : ''} ${fmt(r.amqps)} = ${(r.amqps / r.amqp).toFixed(2)}x`,
      );
    }
    const pass = results.get('passthrough')!;
    const term = results.get('terminate')!;
    lines.push(`terminate against passthrough (each against its own plain baseline): ${(term.amqps / term.amqp / (pass.amqps / pass.amqp)).toFixed(2)}x`);
    const inter = results.get('internode')!;
    lines.push(
      `cluster formation (deploy: up, healthy, clustered), 3 nodes: without inter-node TLS ${(pass.deployMs / 1000).toFixed(1)} s = 1.00x; with inter-node TLS ${(inter.deployMs / 1000).toFixed(1)} s = ${(inter.deployMs / pass.deployMs).toFixed(2)}x`,
    );
  } catch (error) {
    lines.push(`failed: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' / ') : String(error)}`);
  } finally {
    for (const [k, v] of saved)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await h.engine.stop();
  }
  return lines;
}
