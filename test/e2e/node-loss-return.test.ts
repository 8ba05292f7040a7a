import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { amqpRoundTrip } from './clients/amqp-load.js';
import { clusterStatus, reportFigures, waitClustered } from './harness/cluster-probes.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { scenarioSpec } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * Issue 3, scenario 6: a node stops (compose stop), the cluster keeps serving through the load
 * balancer; it starts again and rejoins by itself. The stopped node is rabbit1, the first of the
 * peer discovery list: the case where "rejoin" is least obvious.
 */
const harness = useE2eHarness();
const LB_PORT = 26670;
const NODES = ['rabbit1', 'rabbit2', 'rabbit3'];
const figures: Record<string, number> = {};
let cluster: GeneratedCluster | undefined;
let url = '';

describe('node loss and return (RabbitMQ 4.x, auto formation)', () => {
  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: 'e2e-node-loss',
      image: h.images.v4.ref,
      version: '4.0.5',
      nodes: 3,
      listeners: [{ protocol: 'amqp', port: LB_PORT }],
      connectTimeout: '5s',
      subnet: 6,
      portBase: 26000,
    });
    cluster = await openGeneratedCluster('node-loss', spec, h.env, h.runner);
    const started = Date.now();
    await cluster.up();
    await waitClustered(cluster, 'rabbit3', NODES);
    figures.clusteredMs = Date.now() - started;
    const { user, pass } = cluster.admin;
    url = `amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${LB_PORT}`;
  }, 600_000);

  afterAll(async () => {
    await cluster?.down();
    reportFigures('node-loss-return', figures);
  }, 300_000);

  it('keeps serving through the load balancer with rabbit1 stopped', async () => {
    const t0 = Date.now();
    await cluster!.composeChecked(['stop', 'rabbit1'], 120_000);
    figures.stopMs = Date.now() - t0;
    const status = await clusterStatus(cluster!, 'rabbit3');
    expect([...(status?.running_nodes ?? [])].sort()).toEqual(['rabbit@rabbit2', 'rabbit@rabbit3']);
    // several round trips: nginx's round robin must send some connections at the stopped node
    for (let i = 0; i < 3; i++) expect(await amqpRoundTrip(url, `e2e-node-loss-down-${i}`, 20)).toBe(20);
  }, 180_000);

  it('rejoins by itself when started again', async () => {
    const t0 = Date.now();
    await cluster!.composeChecked(['start', 'rabbit1'], 120_000);
    const status = await waitClustered(cluster!, 'rabbit1', NODES, 240_000);
    figures.rejoinMs = Date.now() - t0;
    expect([...status.running_nodes].sort()).toEqual(NODES.map((n) => `rabbit@${n}`));
    expect(await amqpRoundTrip(url, 'e2e-node-loss-up', 20)).toBe(20);
  }, 300_000);
});
