import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp from 'amqplib';
import type { CheckData } from '../../../ops/health/check-cluster.js';
import type { RebalanceData } from '../../../ops/actions/rebalance.js';
import { leaderImbalance } from '../../../ops/health/findings.js';
import type { GeneratedCluster } from '../harness/generated-cluster.js';
import { reportFigures } from '../harness/cluster-probes.js';
import { scenarioSpec } from '../harness/scenario-spec.js';
import { useE2eHarness } from '../harness/setup.js';
import { openOpsCluster, type OpsCluster } from './ops-cluster.js';

/**
 * Issue 22 (leaders balanced) on RabbitMQ 4.0 and 4.3: twelve quorum queues declared through
 * rabbit1 with the client-local leader locator (all led by rabbit1, as after a rolling restart
 * or upgrade that left rabbit1 standing last), rabbit2 and rabbit3 restarted in turn (leaders
 * stay where they are), `check` finds the pile-up with `rmq-compose rebalance` as its step, and
 * `rebalance` spreads the leaders. Written and type-checked; run with the e2e suite.
 */
const harness = useE2eHarness();
const QUEUES = 12;
let c: OpsCluster;

const LINES = [
  { line: '4.0', image: 'v4', version: '4.0.5', subnet: 225, portBase: 45000 },
  { line: '4.3', image: 'v43', version: '4.3.6', subnet: 226, portBase: 46000 },
] as const;

/** Quorum queues declared through node 1's published AMQP port, each led by that node. */
async function declareLedByNode1(cluster: GeneratedCluster, count: number): Promise<void> {
  const { user, pass } = cluster.admin;
  const conn = await amqp.connect(`amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${cluster.model.nodes[0]!.ports.amqp}`);
  try {
    const ch = await conn.createChannel();
    for (let i = 0; i < count; i++)
      await ch.assertQueue(`lead-${i}`, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-queue-leader-locator': 'client-local' } });
    await ch.close();
  } finally {
    await conn.close();
  }
}

describe.each(LINES)('quorum leaders on a real RabbitMQ $line cluster', ({ line, image, version, subnet, portBase }) => {
  const figures: Record<string, number> = {};
  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({ name: `e2e-lead${line.replace('.', '')}`, image: h.images[image].ref, version, nodes: 3, formation: 'auto', subnet, portBase });
    c = await openOpsCluster(h, `lead${line.replace('.', '')}`, spec);
    const r = await c.run('deploy');
    expect(r.ok).toBe(true);
  }, 900_000);

  afterAll(async () => {
    await c?.close();
    reportFigures(`rebalance-${line}`, figures);
  }, 300_000);

  it('after rabbit2 and rabbit3 are drained and revived, check counts every leader and judges the spread by its rule, with rebalance as its step', async () => {
    await declareLedByNode1(c.cluster, QUEUES);
    // maintenance moves leaders off a node while its members keep voting; where they stand after
    // the revives is the broker's (12/0/0, 11/0/1, 9/0/3 and 4/x/x seen across runs), so the test
    // judges the finding against the rule on what check itself read. --force for rabbit3: the
    // quorum gate counts rabbit2 in maintenance as gone, though its members still vote
    expect((await c.run('drain', ['rabbit2'])).ok).toBe(true);
    expect((await c.run('drain', ['rabbit3', '--force'])).ok).toBe(true);
    for (const node of ['rabbit2', 'rabbit3']) expect((await c.run('revive', [node])).ok).toBe(true);
    const r = await c.run('check');
    const data = r.data as CheckData;
    const leaders = data.status.queues!.leaders!;
    expect(Object.keys(leaders).sort()).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    expect(Object.values(leaders).reduce((a, b) => a + b, 0)).toBe(QUEUES);
    figures.busiestBefore = Math.max(...Object.values(leaders));
    const finding = data.findings.find((f) => f.check === 'leader-imbalance');
    const judged = leaderImbalance(data.status);
    if (judged) {
      expect(finding).toMatchObject({ severity: 'degraded', action: '`rmq-compose rebalance`', run: { action: 'rebalance', argv: [] } });
      // the exit code is the worst finding's: just after the revives another may be graver (seen
      // once on 4.3: exit 2 beside the imbalance), so it is judged against check's own verdict
      expect(data.verdict).not.toBe('healthy');
      expect({ exitCode: r.exitCode, findings: data.findings.map((f) => `${f.severity} ${f.check} ${f.subject}`) }).toEqual({
        exitCode: data.verdict === 'critical' ? 2 : 1,
        findings: expect.arrayContaining([`degraded leader-imbalance ${finding!.subject}`]),
      });
    } else expect(finding).toBeUndefined();
  }, 900_000);

  it('rebalance runs through the pipeline, keeps every leader, and check finds no pile-up after it', async () => {
    const t0 = Date.now();
    const r = await c.run('rebalance');
    figures.rebalanceMs = Date.now() - t0;
    expect(r.ok).toBe(true);
    const d = r.data as RebalanceData;
    expect(Object.values(d.before).reduce((a, b) => a + b, 0)).toBe(QUEUES);
    expect(Object.values(d.after).reduce((a, b) => a + b, 0)).toBe(QUEUES);
    // RabbitMQ's own rebalance decides the spread: never worse than before
    expect(Math.max(...Object.values(d.after))).toBeLessThanOrEqual(Math.max(...Object.values(d.before)));
    figures.busiestAfter = Math.max(...Object.values(d.after));
    const check = (await c.run('check')).data as CheckData;
    expect(check.findings.filter((f) => f.check === 'leader-imbalance')).toEqual([]);
    expect(leaderImbalance(check.status)).toBeUndefined();
  }, 900_000);
});
