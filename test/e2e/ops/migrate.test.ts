import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { consumeAll, publishAll, startConsumer, type LoadTarget } from '../clients/amqp-load.js';
import { reportFigures, waitFor } from '../harness/cluster-probes.js';
import { removeLeftoverProjects } from '../harness/cleanup.js';
import { HA_ALL, scenarioSpec } from '../harness/scenario-spec.js';
import { useE2eHarness } from '../harness/setup.js';
import { ctl, openOpsCluster, stepDurations, type OpsCluster } from './ops-cluster.js';

/**
 * Issue 10, `migrate`: blue-green from RabbitMQ 3.10.8 (three nodes, classic queues mirrored by
 * ha-all) to 4.3.6 (quorum queues) on the same engine, while publishers and a consumer stay
 * connected through nginx on the same port: 10,000 confirmed messages over three queues, none
 * lost, duplicates counted. Then rollback (clients and messages back on blue), the move again,
 * and retire (blue gone).
 */
const harness = useE2eHarness();
const SUBNET = 213; // green takes 214
const PORT_BASE = 39000;
const LB_PORT = PORT_BASE + 670;
const QUEUES = ['e2e-a', 'e2e-b', 'e2e-c'];
const PER_QUEUE = [3334, 3333, 3333];

describe('migrate: blue-green from 3.10 mirrored to 4.3 quorum, through the load balancer', () => {
  let c: OpsCluster;
  let target43 = '';
  const figures: Record<string, number> = {};
  const greenProject = () => `${c.cluster.project}-green`;
  const docker = (args: string[], timeoutMs = 60_000) => harness().runner.run({ file: 'docker', args, env: harness().env, timeoutMs });
  const greenCtl = async (args: string[]) => {
    const r = await docker(['exec', `${greenProject()}-rabbit1-1`, ...args], 90_000);
    if (r.exitCode !== 0) throw new Error(`${args.join(' ')} on green: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const url = () => `amqp://${encodeURIComponent(c.cluster.admin.user)}:${encodeURIComponent(c.cluster.admin.pass)}@127.0.0.1:${LB_PORT}?heartbeat=5`;
  const queueTypes = async (via: (args: string[]) => Promise<string>) =>
    Object.fromEntries(
      (JSON.parse(await via(['rabbitmqctl', '-q', 'list_queues', 'name', 'type', '--formatter', 'json'])) as Array<{ name: string; type: string }>).map((q) => [
        q.name,
        q.type,
      ]),
    );

  beforeAll(async () => {
    const h = harness();
    target43 = h.images.v43.ref;
    const spec = scenarioSpec({
      name: 'e2e-mig',
      image: h.images.v3.ref,
      version: '3.10.8',
      nodes: 3,
      formation: 'auto',
      listeners: [{ protocol: 'amqp', port: LB_PORT }],
      connectTimeout: '5s',
      policies: [{ ...HA_ALL, pattern: '^e2e-' }],
      subnet: SUBNET,
      portBase: PORT_BASE,
    });
    c = await openOpsCluster(h, 'migrate', spec);
    const deploy = await c.run('deploy');
    expect(deploy.ok).toBe(true);
  }, 900_000);

  afterAll(async () => {
    // green is a second Compose project (and a link network) of this run: removed whatever happened
    if (c) await removeLeftoverProjects(harness().env, harness().runner, greenProject()).catch(() => undefined);
    await c?.close();
    reportFigures('migrate', figures);
  }, 300_000);

  it('moves clients, definitions and 10,000 confirmed messages to quorum queues on 4.3.6: none lost', async () => {
    const targets: LoadTarget[] = QUEUES.map((queue) => ({ url: url(), queue, queueType: 'classic' }));
    const confirmedNow = QUEUES.map(() => 0);
    // three slow steady publishers through nginx, for as long as the move takes, and a consumer on e2e-a
    const publishing = targets.map((t, i) =>
      publishAll(t, PER_QUEUE[i]!, { batch: 10, pauseMs: 150, budgetMs: 900_000, onProgress: (n) => (confirmedNow[i] = n) }),
    );
    const consumer = startConsumer(targets[0]!);
    await waitFor('1000 confirms on blue before the move', 120_000, async () => (confirmedNow.reduce((a, b) => a + b, 0) >= 1000 ? true : undefined), 20);
    expect(await queueTypes((a) => ctl(c.cluster, 'rabbit1', a))).toEqual({ 'e2e-a': 'classic', 'e2e-b': 'classic', 'e2e-c': 'classic' });

    const t0 = Date.now();
    let atSwitch = 0;
    const r = await c.run(
      'migrate',
      ['--to', target43, '--version', '4.3.6', '--port-offset', '500'],
      {},
      { onProgress: (s) => s.id === 'switched' && s.state === 'done' && (atSwitch = confirmedNow.reduce((a, b) => a + b, 0)) },
    );
    figures.migrateMs = Date.now() - t0;
    const duringMove = confirmedNow.reduce((a, b) => a + b, 0);
    const published = await Promise.all(publishing);
    figures.publishMs = Date.now() - t0;
    await waitFor(
      'the consumer has what was published to e2e-a',
      120_000,
      async () => ([...published[0]!.confirmed].every((id) => consumer.received.has(id)) ? true : undefined),
      200,
    );
    await consumer.stop();
    // what nobody consumed yet, read through the same address and port (green now)
    const rest = await Promise.all(targets.slice(1).map((t, i) => consumeAll(t, published[i + 1]!.confirmed, { budgetMs: 300_000 })));
    const received = [consumer.received, ...rest.map((x) => x.received)];
    const missing = published.map((p, i) => [...p.confirmed].filter((id) => !received[i]!.has(id)).length);
    Object.assign(figures, {
      confirmed: published.reduce((a, p) => a + p.confirmed.size, 0),
      missing: missing.reduce((a, b) => a + b, 0),
      duplicates: consumer.duplicates + rest.reduce((a, x) => a + x.duplicates, 0),
      longestPublishPauseMs: Math.max(...published.map((p) => p.longestPauseMs)),
      publishReconnects: published.reduce((a, p) => a + p.reconnects, 0),
      consumerReconnects: consumer.reconnects,
      confirmedWhenMoveReturned: duringMove,
      confirmedAtSwitch: atSwitch,
      movedPerSecond: Math.round((duringMove / figures.migrateMs!) * 1000),
    });

    Object.assign(figures, stepDurations(r.steps, 'move.'));
    expect(r.ok).toBe(true);
    const ids = r.steps.filter((s) => s.state === 'done').map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['pre-check', 'green-generated', 'green-running', 'linked', 'export', 'definitions', 'shovels', 'switched', 'drained', 'counts']),
    );
    expect((r.data as { queues: Array<{ blue: number }> }).queues.map((q) => q.blue)).toEqual([0, 0, 0]);
    expect(atSwitch).toBeGreaterThan(0);
    expect(atSwitch).toBeLessThan(10_000); // clients were publishing while the load balancer changed hands
    expect(figures.confirmed).toBe(10_000);
    expect(missing).toEqual([0, 0, 0]);
    // green: quorum queues, ha-all gone; the spec and folder beside blue's
    expect(await queueTypes(greenCtl)).toEqual({ 'e2e-a': 'quorum', 'e2e-b': 'quorum', 'e2e-c': 'quorum' });
    expect(await greenCtl(['rabbitmqctl', '-q', 'list_policies', '--formatter', 'json'])).not.toContain('ha-mode');
    const data = r.data as { green: { dir: string; spec: string }; report: string[] };
    expect(await readFile(data.green.spec, 'utf8')).toContain('defaultQueueType: quorum');
    expect(data.report.join('\n')).toMatch(/e2e-a.*quorum/);
    // green's spec relaxes redeclaration (default_queue_type quorum): no warning about it
    expect(data.report.join('\n')).not.toContain('PRECONDITION_FAILED');
    expect(JSON.stringify(r)).not.toContain(c.cluster.admin.pass);
  }, 1_800_000);

  it('rolls back: clients and the messages green received return to blue; green is removed', async () => {
    // messages that arrive on green after the move must come back with the rollback
    const t: LoadTarget = { url: url(), queue: 'e2e-b', queueType: 'classic' };
    const sent = await publishAll(t, 200, { batch: 50 });
    expect(sent.confirmed.size).toBe(200);
    // they are on green (its load balancer has the port now); a quorum queue's count in list_queues
    // is refreshed on its tick, so right after the confirms it may still read 0 (it did in one run)
    const onGreen = await waitFor(
      '200 messages of e2e-b counted on green',
      30_000,
      async () => {
        const q = (
          JSON.parse(await greenCtl(['rabbitmqctl', '-q', 'list_queues', 'name', 'messages', '--formatter', 'json'])) as Array<{
            name: string;
            messages: number;
          }>
        ).find((x) => x.name === 'e2e-b');
        return q && q.messages >= 200 ? q : undefined;
      },
      1000,
    );
    expect(onGreen.messages).toBeGreaterThanOrEqual(200);
    const r = await c.run('migrate', ['rollback']);
    Object.assign(figures, stepDurations(r.steps, 'rollback.'));
    expect(r.ok).toBe(true);
    expect(r.steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual(expect.arrayContaining(['switch-back', 'shovel-back', 'green-down']));
    const back = await consumeAll(t, sent.confirmed, { budgetMs: 120_000 });
    expect([...sent.confirmed].filter((id) => !back.received.has(id))).toEqual([]);
    expect(await queueTypes((a) => ctl(c.cluster, 'rabbit1', a))).toMatchObject({ 'e2e-b': 'classic' });
    expect((await docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${greenProject()}`])).stdout.trim()).toBe('');
  }, 900_000);

  it('moves again (interrupted after the switch, then resumed), then retire removes blue; clients stay on green', async () => {
    // stopped like Ctrl-C once the load balancer has changed hands: the next run goes on from the drain
    const stop = new AbortController();
    const argv = ['--to', target43, '--version', '4.3.6', '--port-offset', '500'];
    await expect(
      c.run(
        'migrate',
        argv,
        {},
        { signal: stop.signal, onProgress: (s) => s.id === 'switched' && s.state === 'done' && stop.abort(new Error('interrupted by the test')) },
      ),
    ).rejects.toThrow(/interrupted by the test/);
    const again = await c.run('migrate', argv);
    expect(again.steps.filter((s) => s.state === 'skipped').map((s) => s.id)).toEqual([
      'green-generated',
      'green-running',
      'definitions',
      'shovels',
      'switched',
    ]);
    expect(again.steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual(expect.arrayContaining(['linked', 'export', 'drained', 'counts']));
    Object.assign(figures, stepDurations(again.steps, 'again.'));
    // what the drain said while it waited (it took minutes once, with blue already empty)
    const drainSaid = again.steps.filter((s) => s.id === 'drained' && s.detail).map((s) => s.detail);
    if (drainSaid.length > 0) process.stdout.write(`migrate again: drain said ${drainSaid.length} time(s), last: ${drainSaid.at(-1)}\n`);
    expect(again.ok).toBe(true);
    await expect(c.run('migrate', ['--to', 'rabbitmq:4.0-management'])).rejects.toThrow(/in progress/);
    const r = await c.run('migrate', ['retire']);
    Object.assign(figures, stepDurations(r.steps, 'retire.'));
    expect(r.ok).toBe(true);
    expect((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${c.cluster.project}`])).stdout.trim()).toBe('');
    const t: LoadTarget = { url: url(), queue: 'e2e-c', queueType: 'classic' };
    const sent = await publishAll(t, 50, { batch: 50 });
    const got = await consumeAll(t, sent.confirmed, { budgetMs: 60_000 });
    expect(got.received.size).toBeGreaterThanOrEqual(50);
    await expect(c.run('migrate', ['retire'])).rejects.toThrow(/no migration/);
  }, 900_000);
});
