import { consumeAll, publishAll, type LoadTarget } from '../test/e2e/clients/amqp-load.js';
import { removeLeftoverProjects } from '../test/e2e/harness/cleanup.js';
import { setupE2e, type E2eHarness } from '../test/e2e/harness/e2e-env.js';
import { HA_ALL, scenarioSpec } from '../test/e2e/harness/scenario-spec.js';
import { openOpsCluster, type OpsCluster } from '../test/e2e/ops/ops-cluster.js';

/**
 * Moving a cluster across versions, on the e2e harness's private engine. Rolling upgrade (a
 * same-version image swap on 4.3.6, 3 nodes): seconds per node against a plain `restart` of one
 * node in the same cluster, and the longest pause a publisher through nginx saw. Migration
 * (3.10.8 ha-all → 4.3.6 quorum): 10,000 messages waiting in three queues, moved by the shovels;
 * messages per second against publishing the same messages through nginx in the same run.
 */
const url = (c: OpsCluster, port: number) =>
  `amqp://${encodeURIComponent(c.cluster.admin.user)}:${encodeURIComponent(c.cluster.admin.pass)}@127.0.0.1:${port}?heartbeat=5`;

async function upgradeFigures(h: E2eHarness): Promise<string[]> {
  const lbPort = 28670;
  const spec = scenarioSpec({
    name: 'bench-upgrade',
    image: h.images.v43.ref,
    version: '4.3.6',
    nodes: 3,
    listeners: [{ protocol: 'amqp', port: lbPort }],
    connectTimeout: '5s',
    subnet: 231,
    portBase: 28000,
  });
  const c = await openOpsCluster(h, 'bench-upgrade', spec);
  const swap = `${h.images.v43.ref.replace(/:[^:/]*$/, '')}:4.3.6-bench-${process.pid}`;
  try {
    await h.runner.run({ file: 'docker', args: ['tag', h.images.v43.ref, swap], env: h.env, timeoutMs: 60_000 });
    if (!(await c.run('deploy')).ok) throw new Error('deploy failed');
    const t0 = Date.now();
    await c.run('restart', ['rabbit2']);
    const restartMs = Date.now() - t0;
    const target: LoadTarget = { url: url(c, lbPort), queue: 'bench-upgrade', queueType: 'quorum' };
    // a steady stream (batches of 10, 20 ms apart) long enough to outlast the upgrade
    const publishing = publishAll(target, 20_000, { batch: 10, pauseMs: 20, budgetMs: 600_000 });
    const u0 = Date.now();
    const r = await c.run('upgrade', ['--to', swap, '--version', '4.3.6']);
    const upgradeMs = Date.now() - u0;
    const nodes = (r.data as { nodes: Array<{ node: string; seconds: number }> }).nodes;
    const published = await publishing;
    const lost = [...published.confirmed].length - (await consumeAll(target, published.confirmed, { budgetMs: 300_000 })).received.size;
    const perNode = nodes.map((n) => n.seconds * 1000);
    const mean = perNode.reduce((a, b) => a + b, 0) / perNode.length;
    return [
      `restart one node (baseline)                      ${String(restartMs).padStart(7)} ms  = 1.00x`,
      `rolling upgrade, per node (${nodes.map((n) => `${n.node} ${n.seconds} s`).join(', ')}) ${mean.toFixed(0).padStart(7)} ms  = ${(mean / restartMs).toFixed(2)}x a restart`,
      `rolling upgrade, whole cluster (3 nodes)         ${String(upgradeMs).padStart(7)} ms  = ${(upgradeMs / restartMs).toFixed(2)}x a restart`,
      `longest publish pause through nginx during it    ${String(published.longestPauseMs).padStart(7)} ms (20,000 confirmed, ${Math.max(0, lost)} missing afterwards)`,
    ];
  } finally {
    await c.close();
    await h.runner.run({ file: 'docker', args: ['rmi', swap], env: h.env, timeoutMs: 60_000 });
  }
}

async function migrationFigures(h: E2eHarness): Promise<string[]> {
  const lbPort = 29670;
  const spec = scenarioSpec({
    name: 'bench-mig',
    image: h.images.v3.ref,
    version: '3.10.8',
    nodes: 3,
    listeners: [{ protocol: 'amqp', port: lbPort }],
    connectTimeout: '5s',
    policies: [{ ...HA_ALL, pattern: '^bench-' }],
    subnet: 233,
    portBase: 29000,
  });
  const c = await openOpsCluster(h, 'bench-mig', spec);
  try {
    if (!(await c.run('deploy')).ok) throw new Error('deploy failed');
    const queues = ['bench-a', 'bench-b', 'bench-c'];
    const p0 = Date.now();
    const sent = await Promise.all(
      queues.map((queue, i) => publishAll({ url: url(c, lbPort), queue, queueType: 'classic' }, i === 0 ? 3334 : 3333, { batch: 200 })),
    );
    const publishMs = Date.now() - p0;
    const m0 = Date.now();
    const r = await c.run('migrate', ['--to', h.images.v43.ref, '--version', '4.3.6', '--port-offset', '500']);
    const migrateMs = Date.now() - m0;
    const at = (id: string, state: string) => r.steps.find((s) => s.id === id && s.state === state)?.atMs ?? 0;
    // from the shovels' start to blue empty: what the messages took to move
    const moveMs = at('drained', 'done') - at('shovels', 'running');
    const got = await Promise.all(
      queues.map((queue, i) => consumeAll({ url: url(c, lbPort), queue, queueType: 'classic' }, sent[i]!.confirmed, { budgetMs: 300_000 })),
    );
    const missing = sent.reduce((n, s, i) => n + [...s.confirmed].filter((id) => !got[i]!.received.has(id)).length, 0);
    const publishRate = 10_000 / (publishMs / 1000);
    const moveRate = 10_000 / (moveMs / 1000);
    return [
      `publish 10,000 confirmed through nginx (3 queues, baseline) ${String(publishMs).padStart(7)} ms = ${publishRate.toFixed(0)} msg/s = 1.00x`,
      `migrate, whole (green up, definitions, shovels, switch, drain) ${String(migrateMs).padStart(7)} ms`,
      `migrate, shovels moving the 10,000 (start → blue empty)  ${String(moveMs).padStart(7)} ms = ${moveRate.toFixed(0)} msg/s = ${(moveRate / publishRate).toFixed(2)}x publishing`,
      `messages missing after the move: ${missing}; duplicates: ${got.reduce((n, g) => n + g.duplicates, 0)}`,
    ];
  } finally {
    await removeLeftoverProjects(h.env, h.runner, `${c.cluster.project}-green`).catch(() => undefined);
    await c.close();
  }
}

export async function benchVersions(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['skipped: needs root to start the private Docker engine (run as root, like the e2e tests)'];
  const h = await setupE2e();
  try {
    return [...(await upgradeFigures(h)), ...(await migrationFigures(h))];
  } finally {
    await h.engine.stop();
  }
}
