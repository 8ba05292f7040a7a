import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import amqp from 'amqplib';
import { consumeAll, publishAll, startConsumer, type LoadTarget } from '../clients/amqp-load.js';
import { publishWithProperties, takeAll, type SentMessage } from '../clients/property-messages.js';
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

/** The properties a test sent, read back from what arrived (amqplib also fills the ones not sent). */
function pick(properties: amqp.MessageProperties, keys: readonly string[]): Record<string, unknown> {
  const got = properties as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, k === 'headers' ? withoutShovelHeaders(got.headers as Record<string, unknown>) : got[k]]));
}

/**
 * The headers as published: a shovel adding its own would show here (the move sets
 * dest-add-forward-headers false). x-delivery-count is the quorum queue's count of redeliveries
 * on green, which a consumer that reconnected may see: not something the move changed.
 */
const withoutShovelHeaders = (headers: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'x-delivery-count'));
const SUBNET = 213; // green takes 214
const PORT_BASE = 39000;
const LB_PORT = PORT_BASE + 670;
const QUEUES = ['e2e-a', 'e2e-b', 'e2e-c'];
const PER_QUEUE = [3334, 3333, 3333];
/** What an operator added by hand over the years: a vhost the spec's admin has no rights on, its own user, a queue with an odd name. */
const HAND = {
  vhost: 'orders/eu',
  user: 'billing-app',
  pass: 'billing-app-e2e-secret',
  queue: 'billing.v2 (eu)',
  messages: 300,
  exchange: 'orders.events',
  withProperties: 50,
  /** Published straight to blue's node after a failed switch: what a dead shovel strands. */
  late: 40,
};

describe('migrate: blue-green from 3.10 mirrored to 4.3 quorum, through the load balancer', () => {
  let c: OpsCluster;
  let target43 = '';
  const figures: Record<string, number> = {};
  const greenProject = () => `${c.cluster.project}-green`;
  const docker = (args: string[], timeoutMs = 60_000) => harness().runner.run({ file: 'docker', args, env: harness().env, timeoutMs });
  const greenCtl = async (args: string[]) => {
    const r = await docker(['exec', `${greenProject()}-rabbit1-green-1`, ...args], 90_000);
    if (r.exitCode !== 0) throw new Error(`${args.join(' ')} on green: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const url = () => `amqp://${encodeURIComponent(c.cluster.admin.user)}:${encodeURIComponent(c.cluster.admin.pass)}@127.0.0.1:${LB_PORT}?heartbeat=5`;
  // the application, as itself, through the same address
  const handTarget = (): LoadTarget => ({
    url: `amqp://${HAND.user}:${HAND.pass}@127.0.0.1:${LB_PORT}/${encodeURIComponent(HAND.vhost)}?heartbeat=5`,
    queue: HAND.queue,
    queueType: 'classic',
  });
  let handConfirmed = new Set<number>();
  let withProperties: SentMessage[] = [];
  /** Stranded on blue by a dead shovel, brought back by the rollback, then moved again: properties compared after both trips. */
  let lateSent: SentMessage[] = [];
  /** Messages in the hand-made queue as the application sees them through the load balancer. */
  const handCountViaLb = async () => {
    const app = await amqp.connect(handTarget().url);
    try {
      return (await (await app.createChannel()).checkQueue(HAND.queue)).messageCount;
    } finally {
      await app.close().catch(() => undefined);
    }
  };
  const usersOn = async (via: (args: string[]) => Promise<string>) =>
    (JSON.parse(await via(['rabbitmqctl', '-q', 'list_users', '--formatter', 'json'])) as Array<{ user: string }>).map((u) => u.user);
  // asked until it answers: right after shovels stop, 3.10 and 4.3 both answered "some queue(s)
  // are unresponsive" for a few seconds at a time on idle queues (the product's counts retry too)
  const queueTypes = (via: (args: string[]) => Promise<string>) =>
    waitFor(
      'list_queues to answer for every queue',
      120_000,
      async () =>
        Object.fromEntries(
          (JSON.parse(await via(['rabbitmqctl', '-q', 'list_queues', 'name', 'type', '--formatter', 'json'])) as Array<{ name: string; type: string }>).map(
            (q) => [q.name, q.type],
          ),
        ),
      3000,
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
    // by hand, as the operator did: add_vhost grants the admin nothing there
    for (const args of [
      ['add_vhost', HAND.vhost],
      ['add_user', HAND.user, HAND.pass],
      ['set_permissions', '-p', HAND.vhost, HAND.user, '.*', '.*', '.*'],
      ['set_policy', '-p', HAND.vhost, '--apply-to', 'queues', 'ha-eu', '^billing', '{"ha-mode":"all","ha-sync-mode":"automatic"}'],
    ])
      await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', ...args]);
    const sent = await publishAll(handTarget(), HAND.messages, { batch: 50 });
    expect(sent.confirmed.size).toBe(HAND.messages);
    handConfirmed = sent.confirmed;
    // its routing: a topic exchange and a binding, and messages with every property through them
    const app = await amqp.connect(handTarget().url);
    const channel = await app.createChannel();
    await channel.assertExchange(HAND.exchange, 'topic', { durable: true });
    await channel.bindQueue(HAND.queue, HAND.exchange, 'invoice.#');
    await app.close();
    withProperties = await publishWithProperties(handTarget().url, HAND.exchange, 'invoice.created', HAND.withProperties, 'prop');
  }, 900_000);

  afterAll(async () => {
    // green is a second Compose project (and a link network) of this run: removed whatever happened
    if (c) await removeLeftoverProjects(harness().env, harness().runner, greenProject()).catch(() => undefined);
    await c?.close();
    reportFigures('migrate', figures);
  }, 300_000);

  it('a shovel that cannot log in stops the move before the load balancer moves; one that dies after the switch fails the move at once; rollback brings clients and messages back to blue', async () => {
    const h = harness();
    // between the move user's check and the shovels: take its rights on the hand-made vhost away,
    // as an admin without rights there was (blocking the event loop, so the move waits for it)
    const revoke = (s: { id: string; state: string }) => {
      if (s.id !== 'move-user' || s.state !== 'done') return;
      execFileSync('docker', ['exec', `${c.cluster.project}-rabbit1-1`, 'rabbitmqctl', 'clear_permissions', '-p', HAND.vhost, 'rmq-compose-move'], {
        env: { ...process.env, ...h.env },
        timeout: 90_000,
      });
    };
    const t0 = Date.now();
    await expect(c.run('migrate', ['--to', target43, '--version', '4.3.6', '--port-offset', '500'], {}, { onProgress: revoke })).rejects.toThrow(
      /do not run: billing\.v2 \(eu\) \(vhost orders\/eu\): terminated \(.*\)\.\nThe load balancer was not moved: clients are still on blue\. Every shovel was stopped.*Undo the move with `migrate rollback`/s,
    );
    figures.refusedAfterMs = Date.now() - t0;
    // blue's load balancer still serves: the application reaches its messages on blue, none moved
    // counted as the application sees it, through the load balancer (3.10's list_queues timed out
    // on "unresponsive" queues right after the refused move in the first run)
    await waitFor(
      'the hand-made queue whole on blue, through the load balancer',
      120_000,
      async () => ((await handCountViaLb().catch(() => -1)) === HAND.messages + HAND.withProperties ? true : undefined),
      2000,
    );
    expect(await handCountViaLb()).toBe(HAND.messages + HAND.withProperties);
    expect(
      (
        await docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${greenProject()}`, '--filter', 'label=io.rmq-compose.role=load-balancer'])
      ).stdout.trim(),
    ).toBe('');
    // again, and this time the shovels run and the load balancer moves; then the move's user is
    // deleted on blue (its connections closed: the shovels die and cannot log in again) and the
    // application, straight to blue's node, adds messages no shovel will move any more
    const blueNodeUrl = `amqp://${HAND.user}:${HAND.pass}@127.0.0.1:${PORT_BASE + 10}/${encodeURIComponent(HAND.vhost)}?heartbeat=5`;
    let stranded: Promise<SentMessage[]> | undefined;
    const killShovels = (s: { id: string; state: string }) => {
      if (s.id !== 'switched' || s.state !== 'done') return;
      execFileSync('docker', ['exec', `${c.cluster.project}-rabbit1-1`, 'rabbitmqctl', 'delete_user', 'rmq-compose-move'], {
        env: { ...process.env, ...h.env },
        timeout: 90_000,
      });
      stranded = publishWithProperties(blueNodeUrl, '', HAND.queue, HAND.late, 'late');
    };
    const t1 = Date.now();
    await expect(c.run('migrate', ['--to', target43, '--version', '4.3.6', '--port-offset', '500'], {}, { onProgress: killShovels })).rejects.toThrow(
      /do not run: .*billing\.v2 \(eu\) \(vhost orders\/eu\): .*\nClients are on green; the messages these shovels did not move are still on blue.*Undo the move with `migrate rollback`/s,
    );
    figures.failedAfterSwitchMs = Date.now() - t1;
    lateSent = (await stranded) ?? [];
    expect(lateSent).toHaveLength(HAND.late);
    const back = await c.run('migrate', ['rollback']);
    expect(back.ok).toBe(true);
    expect((await docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${greenProject()}`])).stdout.trim()).toBe('');
    expect(await usersOn((a) => ctl(c.cluster, 'rabbit1', a))).not.toContain('rmq-compose-move');
    // counted as the application sees it, through the load balancer (3.10's list_queues timed out
    // on "unresponsive" queues right after the refused move in the first run)
    await waitFor(
      'the hand-made queue whole on blue, through the load balancer',
      120_000,
      async () => ((await handCountViaLb().catch(() => -1)) === HAND.messages + HAND.withProperties + HAND.late ? true : undefined),
      2000,
    );
  }, 1_200_000);

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
    // the three of the spec's vhost and the hand-made one
    expect((r.data as { queues: Array<{ blue: number }> }).queues.map((q) => q.blue)).toEqual([0, 0, 0, 0]);
    expect(atSwitch).toBeGreaterThan(0);
    expect(atSwitch).toBeLessThan(10_000); // clients were publishing while the load balancer changed hands
    expect(figures.confirmed).toBe(10_000);
    expect(missing).toEqual([0, 0, 0]);
    // green: quorum queues, ha-all gone; the spec and folder beside blue's
    expect(await queueTypes(greenCtl)).toEqual({ 'e2e-a': 'quorum', 'e2e-b': 'quorum', 'e2e-c': 'quorum' });
    expect(await greenCtl(['rabbitmqctl', '-q', 'list_policies', '--formatter', 'json'])).not.toContain('ha-mode');
    const data = r.data as { green: { dir: string; spec: string }; report: string[] };
    expect(await readFile(data.green.spec, 'utf8')).toContain('defaultQueueType: quorum');
    // green is a cluster of its own: its nodes only (never blue's rabbit3 answering for a name on the
    // link network), and its own cookie
    const greenNodes = JSON.parse(await greenCtl(['rabbitmqctl', '-q', 'cluster_status', '--formatter', 'json'])) as { running_nodes: string[] };
    expect(greenNodes.running_nodes.sort()).toEqual(['rabbit@rabbit1-green', 'rabbit@rabbit2-green', 'rabbit@rabbit3-green']);
    const cookieOf = async (dir: string) => /^RABBITMQ_ERLANG_COOKIE=(.+)$/m.exec(await readFile(`${dir}/.env`, 'utf8'))?.[1];
    expect(await cookieOf(data.green.dir)).toBeTruthy();
    expect(await cookieOf(data.green.dir)).not.toBe(await cookieOf(c.cluster.clusterDir));
    // green's own history says who wrote and ran it (issue 20: every writer of a cluster folder audits)
    const greenLog = (await readFile(`${data.green.dir}/audit.log`, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; result: string; args: string[] });
    expect(greenLog.at(-1)).toMatchObject({ action: 'migrate', result: 'ok', args: ['--to', target43, '--version', '4.3.6', '--port-offset', '500'] });
    expect(data.report.join('\n')).toMatch(/e2e-a.*quorum/);
    // green's spec relaxes redeclaration (default_queue_type quorum): no warning about it
    expect(data.report.join('\n')).not.toContain('PRECONDITION_FAILED');
    expect(JSON.stringify(r)).not.toContain(c.cluster.admin.pass);
    // the hand-made vhost moved too: the application, as itself, through the same address, finds
    // every message, and each one's properties as it published them
    // all that is there: the shovels killed on purpose above redeliver what they had not had
    // confirmed (at least once), so a few may come twice; none may be missing
    const there = await handCountViaLb();
    expect(there).toBeGreaterThanOrEqual(HAND.messages + HAND.withProperties + HAND.late);
    const hand = await takeAll(handTarget().url, HAND.queue, there, 120_000);
    figures.handDuplicates = there - (HAND.messages + HAND.withProperties + HAND.late);
    const plain = new Set(hand.filter((m) => /^\d+$/.test(m.body)).map((m) => Number(m.body)));
    expect([...handConfirmed].filter((id) => !plain.has(id))).toEqual([]);
    const arrived = new Map(hand.filter((m) => m.body.startsWith('{')).map((m) => [m.properties.messageId as string, m.properties]));
    const changed = [...withProperties, ...lateSent].filter((sent) => {
      const got = arrived.get(sent.id);
      // compared as values: the order of a header table's keys is not kept on the way through a quorum queue, and means nothing
      return !got || !isDeepStrictEqual(pick(got, Object.keys(sent.properties)), sent.properties);
    });
    expect(changed.map((m) => [m.id, m.properties, arrived.get(m.id)])).toEqual([]);
    // and its routing: published to the exchange on green, it reaches the queue
    await publishWithProperties(handTarget().url, HAND.exchange, 'invoice.paid', 5, 'after');
    const routed = await takeAll(handTarget().url, HAND.queue, await handCountViaLb(), 60_000);
    expect(
      routed
        .map((m) => String(m.properties.messageId))
        .filter((id) => id.startsWith('after-'))
        .sort(),
    ).toEqual([0, 1, 2, 3, 4].map((i) => `after-${i}`));
    // the move's own user is gone from blue, and green never had it
    expect(await usersOn((a) => ctl(c.cluster, 'rabbit1', a))).not.toContain('rmq-compose-move');
    expect(await usersOn(greenCtl)).toEqual(expect.arrayContaining([HAND.user]));
    expect(await usersOn(greenCtl)).not.toContain('rmq-compose-move');
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
      90_000,
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
