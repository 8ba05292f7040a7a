import { afterAll, describe, expect, it } from '@jest/globals';
import { reportFigures } from './harness/cluster-probes.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { runNoLoss } from './harness/no-loss.js';
import { scenarioSpec } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';

/** Issue 3, scenario 4: no confirmed message lost when the queue leader's node is killed mid-publish. */
const harness = useE2eHarness();
const LB_PORT = 24670;
let cluster: GeneratedCluster | undefined;

describe('no message lost: quorum queue (RabbitMQ 4.x)', () => {
  // inside the describe: its afterAll runs before the harness's, which stops the engine
  afterAll(async () => {
    await cluster?.down();
  }, 300_000);

  it('returns every confirmed message after the leader node is killed while publishing', async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: 'e2e-no-loss-quorum',
      image: h.images.v4.ref,
      version: '4.0.5',
      nodes: 3,
      listeners: [{ protocol: 'amqp', port: LB_PORT }],
      // a killed node's address answers nothing: give up on it quickly and try the next one
      connectTimeout: '5s',
      policies: [],
      subnet: 4,
      portBase: 24000,
    });
    cluster = await openGeneratedCluster('no-loss-quorum', spec, h.env, h.runner);
    const figures = await runNoLoss(cluster, LB_PORT, 'quorum');
    reportFigures('no-loss-quorum', { ...figures });
    expect(figures.publishActiveAfterKill).toBe(true);
    expect(figures.confirmed).toBe(figures.total);
    expect(figures.missing).toBe(0);
  }, 900_000);
});
