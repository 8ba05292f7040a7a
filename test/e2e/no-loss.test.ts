import { afterAll, describe, expect, it } from '@jest/globals';
import { reportFigures } from './harness/cluster-probes.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { runNoLoss } from './harness/no-loss.js';
import { HA_ALL, scenarioSpec } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * Issue 3, scenarios 3 and 4: no confirmed message lost when the queue leader's node is killed
 * mid-publish, with a mirrored classic queue on 3.x and with a quorum queue on 4.x.
 */
const harness = useE2eHarness();

const CASES = [
  {
    label: 'mirrored',
    title: 'mirrored classic queue, ha-all (RabbitMQ 3.x)',
    major: 'v3',
    version: '3.10.8',
    queueType: 'classic',
    policies: [{ ...HA_ALL, pattern: '^e2e-' }],
    subnet: 3,
  },
  { label: 'quorum', title: 'quorum queue (RabbitMQ 4.0)', major: 'v4', version: '4.0.5', queueType: 'quorum', policies: [], subnet: 4 },
  { label: 'quorum-43', title: 'quorum queue (RabbitMQ 4.3, Khepri)', major: 'v43', version: '4.3.6', queueType: 'quorum', policies: [], subnet: 8 },
] as const;

describe.each(CASES)('no message lost: $title', ({ label, major, version, queueType, policies, subnet }) => {
  const portBase = 20000 + subnet * 1000;
  const lbPort = portBase + 670;
  let cluster: GeneratedCluster | undefined;

  // inside the describe: its afterAll runs before the harness's, which stops the engine
  afterAll(async () => {
    await cluster?.down();
  }, 300_000);

  it('returns every confirmed message after the leader node is killed while publishing', async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: `e2e-no-loss-${label}`,
      image: h.images[major].ref,
      version,
      nodes: 3,
      listeners: [{ protocol: 'amqp', port: lbPort }],
      // a killed node's address answers nothing: give up on it quickly and try the next one
      connectTimeout: '5s',
      policies: [...policies],
      subnet,
      portBase,
    });
    cluster = await openGeneratedCluster(`no-loss-${label}`, spec, h.env, h.runner);
    const figures = await runNoLoss(cluster, lbPort, queueType);
    reportFigures(`no-loss-${label}`, { ...figures });
    expect(figures.publishActiveAfterKill).toBe(true);
    expect(figures.confirmed).toBe(figures.total);
    expect(figures.missing).toBe(0);
  }, 900_000);
});
