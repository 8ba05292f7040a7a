import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageText } from '../support/fake-slack-api.js';
import { statusThroughBot } from './harness/bot-status.js';
import { reportFigures, sleep, waitFor } from './harness/cluster-probes.js';
import { declareQueue, machineOfNode, publishThrough, queueLeaderNode, vipHolders } from './harness/machines/machine-probes.js';
import { startSteadyPublisher } from './clients/steady-publisher.js';
import type { PartitionsData, StatusData } from '../../ops/index.js';
import type { MachineSet } from './harness/machines/machine-set.js';
import { startMultiHostCluster, type MultiHostFixture } from './harness/machines/multi-host-fixture.js';
import { ONE_DISC_NODE_PER_BROKER, roundTripsThroughVip, type MultiHostCluster } from './harness/machines/multi-host-cluster.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * Issue 9 on RabbitMQ 4.x: three broker machines and two load-balancer machines, each its own
 * network namespace with its own dockerd and sshd, deployed and operated from this namespace over
 * DOCKER_HOST=ssh://root@<address> (lb2 through a named docker context).
 */
const harness = useE2eHarness();
const figures: Record<string, unknown> = {};
let fixture: MultiHostFixture | undefined;
let set: MachineSet | undefined;
let cluster: MultiHostCluster | undefined;

describe('multi-host cluster over SSH (RabbitMQ 4.x, quorum queues)', () => {
  beforeAll(async () => {
    fixture = await startMultiHostCluster(
      harness(),
      {
        line: 'v4',
        name: 'e2e-mh4',
        formation: 'auto',
        nodes: ONE_DISC_NODE_PER_BROKER,
        loadBalancers: ['lb1', 'lb2'],
        // lb2 through a named docker context, the others as ssh://root@<address>
        contexts: { lb2: 'e2e-lb2' },
      },
      figures,
    );
    ({ set, cluster } = fixture);
  }, 900_000);

  afterAll(async () => {
    try {
      await fixture?.close();
    } finally {
      reportFigures('multi-host-4x', figures);
    }
  }, 300_000);

  it('deploys from this namespace over SSH: AMQP and MQTT round trips through the VIP', async () => {
    const deploy = await cluster!.cli(['deploy', '-d', cluster!.dir, '--yes']);
    figures.deployMs = deploy.ms;
    if (deploy.exitCode !== 0) throw new Error(`deploy exited ${deploy.exitCode}:\n${deploy.stdout}\n${deploy.stderr}`);
    expect(deploy.stdout).toMatch(/3 nodes clustered/);
    expect(await roundTripsThroughVip(cluster!, 'e2e-mh4')).toEqual({ amqp: 20, mqtt: 10 });
  }, 900_000);

  it('loses no confirmed message when the broker machine holding the quorum leader dies', async () => {
    const target = { url: `${cluster!.amqpUrl()}?heartbeat=5`, queue: 'e2e-mh4-no-loss', queueType: 'quorum' as const };
    await declareQueue(target);
    const leader = await waitFor('the queue leader', 60_000, () => queueLeaderNode(cluster!, set!, target.queue));
    const victim = machineOfNode(cluster!, leader);
    const loss = await publishThrough(cluster!, target, 10_000, async () => {
      figures.brokerKillProcesses = await set!.get(victim).hardKill();
      return victim;
    });
    Object.assign(figures, { brokerLoss: loss });
    expect(loss).toMatchObject({ total: 10_000, confirmed: 10_000, missing: 0, victim });
    expect(loss.confirmedAtEvent).toBeLessThan(10_000);
  }, 900_000);

  it('says so while the machine is gone, and is all green once it is back', async () => {
    const down = await cluster!.run('status');
    const data = down.data as StatusData;
    const gone = cluster!.model.nodes.find((n) => !set!.get(n.host).isUp)!;
    expect(data.healthy).toBe(false);
    expect(data.nodes.find((n) => n.name === gone.name)).toMatchObject({ running: false });
    expect(data.nodes.filter((n) => n.running)).toHaveLength(2);
    const t0 = Date.now();
    await set!.get(gone.host).bringBack();
    const green = await waitFor(
      'status all green',
      300_000,
      async () => {
        const r = await cluster!.run('status');
        return (r.data as StatusData).healthy ? (r.data as StatusData) : undefined;
      },
      3000,
    );
    figures.machineBackToGreenMs = Date.now() - t0;
    expect(green.nodes.every((n) => n.running && n.clustered)).toBe(true);
    expect(green.queues?.unhealthy).toEqual([]);
  }, 600_000);

  it('moves the VIP to the other LB machine within 3 s when the MASTER LB machine dies', async () => {
    const lbs = ['lb1', 'lb2'];
    const holder = await waitFor(
      'one VIP holder',
      60_000,
      async () => {
        const h = await vipHolders(harness().runner, set!, lbs, cluster!.vip);
        return h.length === 1 ? h[0] : undefined;
      },
      200,
    );
    const other = lbs.find((l) => l !== holder)!;
    const client = startSteadyPublisher(cluster!.amqpUrl(), 'e2e-mh4-steady');
    try {
      await waitFor('the client to publish through the VIP', 60_000, async () => (client.confirms.length > 5 ? true : undefined));
      const t0 = Date.now();
      await set!.get(holder).hardKill();
      await waitFor(
        `VIP on ${other}`,
        30_000,
        async () => ((await vipHolders(harness().runner, set!, lbs, cluster!.vip)).join() === other ? true : undefined),
        100,
      );
      figures.lbFailoverMs = Date.now() - t0;
      const resumed = await waitFor(
        'the client to publish again',
        60_000,
        async () => client.confirms.find((t) => t > t0 + 200 && client.reconnects.some((r) => r > t0)),
        200,
      );
      figures.lbClientPauseMs = resumed - t0;
      expect(figures.lbFailoverMs).toBeLessThanOrEqual(3_000);
    } finally {
      await client.stop();
    }
    const back = Date.now();
    await set!.get(holder).bringBack();
    // the generated config preempts: the VIP goes back to the MASTER once its nginx check passes
    await waitFor(
      `VIP back on ${holder}`,
      120_000,
      async () => ((await vipHolders(harness().runner, set!, lbs, cluster!.vip)).join() === holder ? true : undefined),
      200,
    );
    figures.lbBackAndVipReturnedMs = Date.now() - back;
    await waitFor(
      `${holder} serving again`,
      120_000,
      async () => {
        const r = await cluster!.run('status');
        const lb = (r.data as StatusData).loadBalancer;
        return lb?.listeners.filter((l) => l.instance === holder).every((l) => l.reachable) ? true : undefined;
      },
      3000,
    );
  }, 600_000);

  it('a broker machine cut off for 60 s: status and partitions say so, quorum carries on, no confirmed message lost', async () => {
    const target = { url: `${cluster!.amqpUrl()}?heartbeat=5`, queue: 'e2e-mh4-partition', queueType: 'quorum' as const };
    await declareQueue(target);
    const leader = await waitFor('the queue leader', 60_000, () => queueLeaderNode(cluster!, set!, target.queue));
    // cut the leader's machine: the majority must elect another and go on
    const victim = machineOfNode(cluster!, leader);
    const during: { status?: StatusData; partitions?: PartitionsData; statusMs?: number } = {};
    const loss = await publishThrough(
      cluster!,
      target,
      10_000,
      async () => {
        await set!.get(victim).cut();
        return victim;
      },
      async () => {
        await sleep(65_000);
        const t0 = Date.now();
        during.status = (await cluster!.run('status')).data as StatusData;
        during.statusMs = Date.now() - t0;
        during.partitions = (await cluster!.run('partitions')).data as PartitionsData;
        await set!.get(victim).reconnect();
      },
    );
    figures.partitionLoss = loss;
    figures.statusDuringCutMs = during.statusMs;
    const cutNode = cluster!.model.nodes.find((n) => n.host === victim)!.name;
    expect(during.status?.healthy).toBe(false);
    expect(during.status?.unreachableHosts?.map((u) => u.host)).toEqual([victim]);
    expect(during.status?.nodes.find((n) => n.name === cutNode)).toMatchObject({ running: false, container: 'unreachable' });
    expect(during.status?.nodes.filter((n) => n.running)).toHaveLength(2);
    expect(during.partitions?.unanswered).toEqual([cutNode]);
    expect(during.partitions?.partitioned).toBe(false);
    expect(loss).toMatchObject({ confirmed: 10_000, missing: 0 });
    const t0 = Date.now();
    await waitFor(
      'status all green after the cut',
      300_000,
      async () => (((await cluster!.run('status')).data as StatusData).healthy ? true : undefined),
      3000,
    );
    figures.partitionHealMs = Date.now() - t0;
  }, 900_000);

  describe('every ops action over SSH', () => {
    it('restart, drain, revive and logs', async () => {
      const restart = await cluster!.run('restart', ['rabbit2']);
      expect(restart.ok).toBe(true);
      expect(restart.data).toMatchObject({ node: 'rabbit2' });
      const drain = await cluster!.run('drain', ['rabbit2']);
      expect(drain.data).toMatchObject({ node: 'rabbit2', maintenance: true });
      const revive = await cluster!.run('revive', ['rabbit2']);
      expect(revive.data).toMatchObject({ node: 'rabbit2', maintenance: false });
      const logs = await cluster!.run('logs', ['rabbit1', '--tail', '50']);
      expect((logs.data as { log: string }).log).toMatch(/rabbit/i);
      expect((logs.data as { log: string }).log).not.toContain(cluster!.admin.pass);
    }, 600_000);

    it('forget a stopped node, then join it back', async () => {
      await cluster!.exec('mq3', 'rabbit3', ['rabbitmqctl', 'stop_app'], 120_000);
      const forget = await cluster!.run('forget', ['rabbit3']);
      expect(forget.data).toMatchObject({ forgotten: 'rabbit@rabbit3' });
      const join = await cluster!.run('join', ['rabbit3', '--to', 'rabbit1']);
      expect(join.data).toMatchObject({ node: 'rabbit3', to: 'rabbit@rabbit1' });
      const status = (await cluster!.run('status')).data as StatusData;
      expect(status.nodes.map((n) => [n.name, n.running, n.clustered])).toEqual([
        ['rabbit1', true, true],
        ['rabbit2', true, true],
        ['rabbit3', true, true],
      ]);
    }, 600_000);

    it('/rmq status through the bot', async () => {
      const reply = await statusThroughBot('mh4', cluster!.dir);
      expect(reply.ackStatus).toBe(200);
      figures.botStatusMs = reply.ms;
      const text = messageText(reply.final);
      expect(text).toContain('3/3 up');
      expect(text).toMatch(/VIP held by `lb[12]`/);
      expect(text).not.toContain(cluster!.admin.pass);
      const audit = (await readFile(join(cluster!.dir, 'audit.log'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; result: string; actor: { via: string } });
      expect(audit.at(-1)).toMatchObject({ action: 'status', result: 'ok', actor: { via: 'slack' } });
    }, 120_000);
  });

  it('deploy with a machine gone: one line naming it and how it was reached, nothing changed, no hang', async () => {
    await set!.get('lb2').hardKill();
    const deploy = await cluster!.cli(['deploy', '-d', cluster!.dir, '--yes']);
    figures.deployWithDeadMachineMs = deploy.ms;
    expect(deploy.exitCode).toBe(1);
    expect(deploy.stderr).toMatch(/lb2 \(10\.251\.\d+\.22\): cannot reach the Docker engine through DOCKER_CONTEXT=e2e-lb2: /);
    expect(deploy.stderr).toContain('nothing was changed');
    expect(deploy.stderr).not.toMatch(/^\s+at /m);
    expect(deploy.stdout + deploy.stderr).not.toMatch(/up-mq1|compose up -d \(mq1\)/);
  }, 120_000);
});
