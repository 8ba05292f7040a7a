import amqp from 'amqplib';
import { removeLeftoverProjects } from '../test/e2e/harness/cleanup.js';
import { setupE2e } from '../test/e2e/harness/e2e-env.js';
import { HA_ALL, scenarioSpec } from '../test/e2e/harness/scenario-spec.js';
import { openOpsCluster } from '../test/e2e/ops/ops-cluster.js';

/**
 * `migrate` at the size of a real cluster (issue 21): 3.10.8, three nodes, ha-all, N classic
 * queues of 20 confirmed messages each (N from RMQ_BENCH_QUEUES, default 300), no client
 * connected, migrated to 4.3.6 quorum queues. Baseline: publishing the same messages through
 * nginx in the same run. Then the messages counted on green, per queue, through the same address.
 */
const PER_QUEUE = 20;

/** One connection, one confirm channel: N queues declared, PER_QUEUE messages each, every one confirmed. */
async function fill(url: string, queues: readonly string[]): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    for (const queue of queues) {
      await channel.assertQueue(queue, { durable: true });
      for (let i = 0; i < PER_QUEUE; i += 1) channel.sendToQueue(queue, Buffer.from(String(i)), { persistent: true });
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

/** Messages per queue as a client sees them through the load balancer (passive declare). */
async function countAll(url: string, queues: readonly string[]): Promise<number> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    let total = 0;
    for (const queue of queues) total += (await channel.checkQueue(queue)).messageCount;
    return total;
  } finally {
    await connection.close();
  }
}

export async function benchMigrateScale(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['skipped: needs root to start the private Docker engine (run as root, like the e2e tests)'];
  const count = Number(process.env.RMQ_BENCH_QUEUES ?? 300);
  const h = await setupE2e();
  const lbPort = 30670;
  const spec = scenarioSpec({
    name: 'bench-scale',
    image: h.images.v3.ref,
    version: '3.10.8',
    nodes: 3,
    listeners: [{ protocol: 'amqp', port: lbPort }],
    connectTimeout: '5s',
    policies: [{ ...HA_ALL, pattern: '^scale-' }],
    subnet: 235,
    portBase: 30000,
  });
  const c = await openOpsCluster(h, 'bench-scale', spec);
  try {
    if (!(await c.run('deploy')).ok) throw new Error('deploy failed');
    const url = `amqp://${encodeURIComponent(c.cluster.admin.user)}:${encodeURIComponent(c.cluster.admin.pass)}@127.0.0.1:${lbPort}?heartbeat=5`;
    const queues = Array.from({ length: count }, (_, i) => `scale-${String(i).padStart(4, '0')}`);
    const p0 = Date.now();
    await fill(url, queues);
    const publishMs = Date.now() - p0;
    const m0 = Date.now();
    const r = await c.run('migrate', ['--to', h.images.v43.ref, '--version', '4.3.6', '--port-offset', '500']);
    const migrateMs = Date.now() - m0;
    const step = (id: string) => {
      const running = r.steps.find((s) => s.id === id && s.state === 'running')?.atMs;
      const done = r.steps.find((s) => s.id === id && s.state === 'done')?.atMs;
      return running !== undefined && done !== undefined ? done - running : undefined;
    };
    const onGreen = await countAll(url, queues);
    const total = count * PER_QUEUE;
    const phases = ['green-running', 'definitions', 'move-user', 'shovels', 'shovels-running', 'switched', 'drained', 'counts']
      .map((id) => [id, step(id)] as const)
      .filter(([, ms]) => ms !== undefined)
      .map(([id, ms]) => `${id} ${((ms ?? 0) / 1000).toFixed(1)} s`);
    return [
      `publish ${total.toLocaleString('en')} confirmed into ${count} queues through nginx (baseline) ${String(publishMs).padStart(7)} ms = 1.00x`,
      `migrate ${count} queues x ${PER_QUEUE}, whole (3.10.8 ha-all → 4.3.6 quorum) ${String(migrateMs).padStart(7)} ms = ${(migrateMs / publishMs).toFixed(1)}x = ${((total / migrateMs) * 1000).toFixed(0)} msg/s`,
      `  by phase: ${phases.join(', ')}`,
      `messages on green through the same address afterwards: ${onGreen} of ${total}`,
    ];
  } finally {
    await removeLeftoverProjects(h.env, h.runner, `${c.cluster.project}-green`).catch(() => undefined);
    await c.close();
    await h.engine.stop();
  }
}
