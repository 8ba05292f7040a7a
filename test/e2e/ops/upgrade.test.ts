import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { consumeAll, publishAll, type LoadTarget } from '../clients/amqp-load.js';
import { clusterStatus, reportFigures, waitFor } from '../harness/cluster-probes.js';
import { scenarioSpec } from '../harness/scenario-spec.js';
import { useE2eHarness } from '../harness/setup.js';
import { openOpsCluster, type OpsCluster } from './ops-cluster.js';

/**
 * Issue 10, `upgrade`: the rolling mechanics on a real RabbitMQ 4.3.6 cluster, swapping every node
 * to the same version under a new image name while a client publishes 10,000 confirmed messages
 * through nginx. Every confirmed message must come back; the spec, the manifest and every node's
 * container must say the new image; an upgrade stopped halfway resumes at the next node.
 */
const harness = useE2eHarness();
const VERSION = '4.3.6';
const SUBNET = 211;
const PORT_BASE = 38000;
const LB_PORT = PORT_BASE + 670;
const TOTAL = 10_000;
const NODES = ['rabbit1', 'rabbit2', 'rabbit3'];

describe('upgrade: rolling, gated, resumable (RabbitMQ 4.3.6, same-version image swap)', () => {
  let c: OpsCluster;
  let swapImage = '';
  const figures: Record<string, number> = {};
  const docker = (args: string[]) => harness().runner.run({ file: 'docker', args, env: harness().env, timeoutMs: 60_000 });
  const containerImage = async (service: string) => {
    const id = (await c.cluster.compose(['ps', '-q', service])).stdout.trim();
    return (await docker(['inspect', '-f', '{{.Config.Image}}', id])).stdout.trim();
  };

  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: 'e2e-upgrade',
      image: h.images.v43.ref,
      version: VERSION,
      nodes: 3,
      formation: 'auto',
      listeners: [{ protocol: 'amqp', port: LB_PORT }],
      connectTimeout: '5s',
      subnet: SUBNET,
      portBase: PORT_BASE,
    });
    c = await openOpsCluster(h, 'upgrade', spec);
    // the same RabbitMQ under another name: Compose sees a new image and makes new containers
    swapImage = `${h.images.v43.ref.replace(/:[^:/]*$/, '')}:${VERSION}-swap-${process.pid}`;
    const tagged = await docker(['tag', h.images.v43.ref, swapImage]);
    if (tagged.exitCode !== 0) throw new Error(`docker tag: ${tagged.stderr}`);
    const deploy = await c.run('deploy');
    expect(deploy.ok).toBe(true);
  }, 900_000);

  afterAll(async () => {
    await c?.close();
    if (swapImage) await docker(['rmi', swapImage]);
    reportFigures('upgrade', figures);
  }, 300_000);

  it('swaps every node to the new image, one at a time, while 10,000 confirmed messages go through nginx: none lost', async () => {
    const { user, pass } = c.cluster.admin;
    const target: LoadTarget = {
      url: `amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${LB_PORT}?heartbeat=5`,
      queue: 'e2e-upgrade',
      queueType: 'quorum',
    };
    let confirmedNow = 0;
    // a slow steady stream (batches of 10, 40 ms apart) that lasts as long as the upgrade
    const publishing = publishAll(target, TOTAL, { batch: 10, pauseMs: 40, budgetMs: 600_000, onProgress: (n) => (confirmedNow = n) });
    await waitFor('500 confirms before the upgrade', 120_000, async () => (confirmedNow >= 500 ? true : undefined), 20);

    const t0 = Date.now();
    const r = await c.run('upgrade', ['--to', swapImage, '--version', VERSION]);
    figures.upgradeMs = Date.now() - t0;
    const confirmedDuring = confirmedNow;
    const published = await publishing;
    const consumed = await consumeAll(target, published.confirmed, { budgetMs: 300_000 });
    const missing = [...published.confirmed].filter((id) => !consumed.received.has(id)).length;
    const data = r.data as { nodes: Array<{ node: string; seconds: number }>; from: string; to: string };
    for (const n of data.nodes) figures[`${n.node}Seconds`] = n.seconds;
    Object.assign(figures, {
      confirmed: published.confirmed.size,
      missing,
      duplicates: consumed.duplicates,
      longestPublishPauseMs: published.longestPauseMs,
      publishReconnects: published.reconnects,
      confirmedDuringUpgradeEnd: confirmedDuring,
    });

    expect(r.ok).toBe(true);
    expect(data).toMatchObject({ from: VERSION, to: VERSION });
    expect(data.nodes.map((n) => n.node)).toEqual(NODES);
    // per node, in order: gate, drain, new container, clustered (and revive unless it came up revived)
    const ids = r.steps.filter((s) => s.state !== 'running').map((s) => s.id);
    for (const node of NODES)
      expect(ids.filter((id) => id.endsWith(`-${node}`)).slice(0, 4)).toEqual([`gate-${node}`, `drain-${node}`, `recreate-${node}`, `clustered-${node}`]);
    expect(ids).toEqual(expect.arrayContaining(['pre-check', 'image', 'files', 'versions', 'flags-after', 'rebalance']));
    // the client published through the whole upgrade, and lost nothing it was told was safe
    expect(confirmedDuring).toBeLessThan(TOTAL);
    expect(published.confirmed.size).toBe(TOTAL);
    expect(missing).toBe(0);

    for (const node of NODES) expect(await containerImage(node)).toBe(swapImage);
    const manifest = JSON.parse(await readFile(join(c.dir, 'rmq-compose.json'), 'utf8')) as { rabbitmq: { image: string }; spec: string };
    expect(manifest.rabbitmq.image).toBe(swapImage);
    const spec = await readFile(join(c.dir, manifest.spec), 'utf8');
    expect(spec).toContain(`image: ${swapImage}`);
    const st = await clusterStatus(c.cluster, 'rabbit1');
    expect([...(st?.running_nodes ?? [])].sort()).toEqual(NODES.map((n) => `rabbit@${n}`));
  }, 1_200_000);

  it('refuses in-place paths RabbitMQ does not support, before touching anything', async () => {
    const specBefore = await readFile(join(c.dir, 'rmq-compose.json'), 'utf8');
    // 4.3 → 4.0 is a downgrade; a 4.5 is not in the version table
    await expect(c.run('upgrade', ['--to', 'rabbitmq:4.0-management'])).rejects.toThrow(/downgrade/);
    await expect(c.run('upgrade', ['--to', 'rabbitmq:4.5-management'])).rejects.toThrow(/newer than every line rmq-compose knows/);
    expect(await readFile(join(c.dir, 'rmq-compose.json'), 'utf8')).toBe(specBefore);
  }, 300_000);

  it('stops at a node whose queues need it, and resumes from that node when run again', async () => {
    const back = harness().images.v43.ref;
    // every node must run: rabbit3 stopped → refused before anything changes
    await c.cluster.composeChecked(['stop', '-t', '30', 'rabbit3']);
    await expect(c.run('upgrade', ['--to', back, '--version', VERSION])).rejects.toThrow(/rabbit3 is not running in the cluster/);
    await c.cluster.composeChecked(['start', 'rabbit3']);
    await waitFor('rabbit3 back in the cluster', 180_000, async () =>
      (await clusterStatus(c.cluster, 'rabbit1'))?.running_nodes?.length === 3 ? true : undefined,
    );

    // a quorum queue with its only member on rabbit2: rabbit1 can go, rabbit2 cannot
    const { user, pass } = c.cluster.admin;
    const rabbit2Amqp = c.cluster.model.nodes[1]!.ports.amqp!;
    const amqp = (await import('amqplib')).default;
    const conn = await amqp.connect(`amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${rabbit2Amqp}`);
    const ch = await conn.createChannel();
    await ch.assertQueue('e2e-only-on-rabbit2', { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': 1 } });
    await conn.close();

    const quick = { waits: { pollMs: 1_000, healthyMs: 300_000, clusteredMs: 240_000, gateMs: 10_000 } };
    await expect(c.run('upgrade', ['--to', back, '--version', VERSION], quick)).rejects.toThrow(
      /^upgrade paused before rabbit2: some queues need it[\s\S]*e2e-only-on-rabbit2[\s\S]*goes on from rabbit2/,
    );
    expect(await containerImage('rabbit1')).toBe(back);
    expect(await containerImage('rabbit2')).toBe(swapImage);

    // another image while this one is unfinished: refused
    await expect(c.run('upgrade', ['--to', swapImage, '--version', VERSION])).rejects.toThrow(/is unfinished \(done: rabbit1\)/);
    const del = await c.cluster.exec('rabbit1', ['rabbitmqctl', 'delete_queue', 'e2e-only-on-rabbit2']);
    expect(del.exitCode).toBe(0);
    const resumed = await c.run('upgrade', ['--to', back, '--version', VERSION]);
    expect(resumed.ok).toBe(true);
    const data = resumed.data as { nodes: Array<{ node: string }>; alreadyDone: string[] };
    expect(data.alreadyDone).toEqual(['rabbit1']);
    expect(data.nodes.map((n) => n.node)).toEqual(['rabbit2', 'rabbit3']);
    for (const node of NODES) expect(await containerImage(node)).toBe(back);
  }, 1_200_000);
});
