import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { reportFigures, sleep, waitFor } from './harness/cluster-probes.js';
import { declareQueue, machineOfNode, publishThrough, queueLeaderNode } from './harness/machines/machine-probes.js';
import type { MachineSet } from './harness/machines/machine-set.js';
import { roundTripsThroughVip, type MultiHostCluster } from './harness/machines/multi-host-cluster.js';
import { startMultiHostCluster, type MultiHostFixture } from './harness/machines/multi-host-fixture.js';
import { HA_ALL } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';
import type { PartitionsData, StatusData } from '../../ops/index.js';

/**
 * Issue 9 on RabbitMQ 3.x with the seed's own layout: one disc node and two RAM nodes joined by
 * hand (manual formation), classic queues mirrored by ha-all, pause_minority; each broker on its
 * own machine, two LB machines, all reached over ssh.
 */
const harness = useE2eHarness();
const figures: Record<string, unknown> = {};
let fixture: MultiHostFixture | undefined;
let set: MachineSet | undefined;
let cluster: MultiHostCluster | undefined;

describe('multi-host cluster over SSH (RabbitMQ 3.x, the seed: RAM nodes, mirrored queues)', () => {
  beforeAll(async () => {
    fixture = await startMultiHostCluster(
      harness(),
      {
        line: 'v3',
        name: 'e2e-mh3',
        formation: 'manual',
        nodes: [
          { name: 'rabbit1', type: 'disc', machine: 'mq1' },
          { name: 'rabbit2', type: 'ram', machine: 'mq2' },
          { name: 'rabbit3', type: 'ram', machine: 'mq3' },
        ],
        loadBalancers: ['lb1', 'lb2'],
        policies: [HA_ALL],
        partitionHandling: 'pause_minority',
      },
      figures,
    );
    ({ set, cluster } = fixture);
  }, 900_000);

  afterAll(async () => {
    try {
      await fixture?.close();
    } finally {
      reportFigures('multi-host-3x', figures);
    }
  }, 300_000);

  it("deploys over SSH with the seed's manual joins: AMQP and MQTT round trips through the VIP", async () => {
    const deploy = await cluster!.cli(['deploy', '-d', cluster!.dir, '--yes']);
    figures.deployMs = deploy.ms;
    if (deploy.exitCode !== 0) throw new Error(`deploy exited ${deploy.exitCode}:\n${deploy.stdout}\n${deploy.stderr}`);
    expect(deploy.stdout).toMatch(/2 joined/);
    const status = (await cluster!.run('status')).data as StatusData;
    expect(status.nodes.map((n) => [n.name, n.type, n.running, n.clustered])).toEqual([
      ['rabbit1', 'disc', true, true],
      ['rabbit2', 'ram', true, true],
      ['rabbit3', 'ram', true, true],
    ]);
    expect(await roundTripsThroughVip(cluster!, 'e2e-mh3')).toEqual({ amqp: 20, mqtt: 10 });
  }, 900_000);

  it("loses no confirmed message when the machine holding the mirrored queue's master dies", async () => {
    // declared on rabbit2's own port: the master is where the declaring connection is
    const target = { url: `${cluster!.amqpUrl()}?heartbeat=5`, queue: 'e2e-mh3-no-loss', queueType: 'classic' as const };
    await declareQueue(target, cluster!.amqpUrl(set!.get('mq2').address));
    const master = await waitFor('the queue master', 60_000, () => queueLeaderNode(cluster!, set!, target.queue));
    expect(master).toBe('rabbit2');
    const victim = machineOfNode(cluster!, master);
    const loss = await publishThrough(cluster!, target, 10_000, async () => {
      await set!.get(victim).hardKill();
      return victim;
    });
    figures.brokerLoss = loss;
    expect(loss).toMatchObject({ total: 10_000, confirmed: 10_000, missing: 0, victim: 'mq2' });
  }, 900_000);

  it('rejoins when the machine comes back: status all green', async () => {
    const t0 = Date.now();
    await set!.get('mq2').bringBack();
    const green = await waitFor(
      'status all green',
      300_000,
      async () => {
        const data = (await cluster!.run('status')).data as StatusData;
        return data.healthy ? data : undefined;
      },
      3000,
    );
    figures.machineBackToGreenMs = Date.now() - t0;
    expect(green.nodes.every((n) => n.running && n.clustered)).toBe(true);
  }, 600_000);

  it('a machine cut off for 60 s: status and partitions say so, pause_minority heals it, no confirmed message lost', async () => {
    const target = { url: `${cluster!.amqpUrl()}?heartbeat=5`, queue: 'e2e-mh3-partition', queueType: 'classic' as const };
    await declareQueue(target, cluster!.amqpUrl(set!.get('mq1').address));
    const during: { status?: StatusData; partitions?: PartitionsData } = {};
    const loss = await publishThrough(
      cluster!,
      target,
      10_000,
      async () => {
        await set!.get('mq3').cut();
        return 'mq3';
      },
      async () => {
        // Erlang notices a silent peer after net_ticktime (60 s, ±25%)
        await sleep(75_000);
        during.status = (await cluster!.run('status')).data as StatusData;
        during.partitions = (await cluster!.run('partitions')).data as PartitionsData;
        await set!.get('mq3').reconnect();
      },
    );
    figures.partitionLoss = loss;
    expect(during.status?.healthy).toBe(false);
    expect(during.status?.nodes.find((n) => n.name === 'rabbit3')).toMatchObject({ running: false });
    expect(during.status?.nodes.filter((n) => n.running).map((n) => n.name)).toEqual(['rabbit1', 'rabbit2']);
    expect(during.partitions?.unanswered).toContain('rabbit3');
    expect(loss).toMatchObject({ confirmed: 10_000, missing: 0 });
    const t0 = Date.now();
    const green = await waitFor(
      'status all green after the cut',
      300_000,
      async () => {
        const data = (await cluster!.run('status')).data as StatusData;
        return data.healthy ? data : undefined;
      },
      3000,
    );
    figures.partitionHealMs = Date.now() - t0;
    expect(green.partitions).toEqual([]);
  }, 900_000);
});
