import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { clusterStatus, reportFigures, waitFor } from './harness/cluster-probes.js';
import { scenarioSpec } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';
import { ctl, openOpsCluster, type OpsCluster } from './ops/ops-cluster.js';

/**
 * `rabbitmq.definitions` on RabbitMQ 4.3 (Khepri only): every node imports a definitions file at
 * boot (a vhost, an application user with a password hash, a durable quorum queue, a policy), and
 * the default user, which RabbitMQ does not create when it imports definitions, still logs in
 * because gen added it to the file. A restart does not import again (skip_if_unchanged): what was
 * changed at run time stays changed. One 3-node cluster, no load balancer, about a minute of
 * cluster time.
 */
const harness = useE2eHarness();
const NODES = ['rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3'];
const APP_PASSWORD = 'orders-app-password';
const figures: Record<string, number> = {};
let c: OpsCluster;

/** rabbit_password_hashing_sha256, written out here: base64(salt ++ sha256(salt ++ password)). */
function passwordHash(password: string): string {
  const salt = randomBytes(4);
  return Buffer.concat([
    salt,
    createHash('sha256')
      .update(Buffer.concat([salt, Buffer.from(password)]))
      .digest(),
  ]).toString('base64');
}

const DEFINITIONS = {
  users: [{ name: 'app', password_hash: passwordHash(APP_PASSWORD), hashing_algorithm: 'rabbit_password_hashing_sha256', tags: '' }],
  vhosts: [{ name: 'orders' }],
  permissions: [{ user: 'app', vhost: 'orders', configure: '^orders\\.', write: '^orders\\.', read: '^orders\\.' }],
  queues: [{ name: 'orders.in', vhost: 'orders', durable: true, auto_delete: false, arguments: { 'x-queue-type': 'quorum' } }],
  policies: [{ name: 'orders-limits', vhost: 'orders', pattern: '^orders\\.', 'apply-to': 'queues', priority: 0, definition: { 'delivery-limit': 20 } }],
};

const json = <T>(text: string) => JSON.parse(text) as T;

describe('boot definitions (RabbitMQ 4.3)', () => {
  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({ name: 'e2e-boot-defs', image: h.images.v43.ref, version: '4.3.6', nodes: 3, subnet: 210, portBase: 36000 });
    (spec['rabbitmq'] as Record<string, unknown>)['definitions'] = 'definitions.json';
    c = await openOpsCluster(h, 'boot-defs', spec, { 'definitions.json': JSON.stringify(DEFINITIONS, null, 2) });
  }, 300_000);

  afterAll(async () => {
    await c?.close();
    reportFigures('boot-definitions', figures);
  }, 300_000);

  it('deploys, and every node boots with the definitions imported', async () => {
    const t0 = Date.now();
    const r = await c.run('deploy');
    figures.deployMs = Date.now() - t0;
    expect(r.ok).toBe(true);
    expect([...((await clusterStatus(c.cluster, 'rabbit1'))?.running_nodes ?? [])].sort()).toEqual(NODES);

    const vhosts = json<Array<{ name: string }>>(await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_vhosts', 'name', '--formatter', 'json']));
    expect(vhosts.map((v) => v.name).sort()).toEqual(['/', 'orders']);
    const users = json<Array<{ user: string; tags: string[] | string }>>(
      await ctl(c.cluster, 'rabbit2', ['rabbitmqctl', '-q', 'list_users', '--formatter', 'json']),
    );
    expect(users.map((u) => u.user).sort()).toEqual([c.cluster.admin.user, 'app'].sort());
    expect(String(users.find((u) => u.user === c.cluster.admin.user)!.tags)).toContain('administrator');
    // queues are imported once all 3 nodes are in the cluster (target_cluster_size_hint), by the last to boot
    const listQueues = async () =>
      json<Array<{ name: string; type: string; durable: boolean; members: string[] }>>(
        await ctl(c.cluster, 'rabbit3', ['rabbitmqctl', '-q', 'list_queues', '-p', 'orders', 'name', 'type', 'durable', 'members', '--formatter', 'json']),
      );
    const queues = await waitFor('orders.in imported', 60_000, async () => ((await listQueues()).length > 0 ? listQueues() : undefined));
    expect(queues.map(({ members: _m, ...q }) => q)).toEqual([{ name: 'orders.in', type: 'quorum', durable: true }]);
    // a member on every node: imported by the first node alone it would have one (and no node could restart)
    figures.ordersInMembers = queues[0]!.members.length;
    expect([...queues[0]!.members].sort()).toEqual(NODES);
    const policies = json<Array<{ name: string }>>(
      await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_policies', '-p', 'orders', '--formatter', 'json']),
    );
    expect(policies.map((p) => p.name)).toEqual(['orders-limits']);
    // the file's user, with the hash written above
    await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'authenticate_user', 'app', APP_PASSWORD]);
  }, 600_000);

  it('the default user logs in (management API) and sees every vhost', async () => {
    const { user, pass } = c.cluster.admin;
    const port = c.cluster.model.nodes[0]!.ports.management;
    const get = (path: string) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` },
        signal: AbortSignal.timeout(10_000),
      });
    const whoami = await get('/api/whoami');
    expect(whoami.status).toBe(200);
    expect(((await whoami.json()) as { name: string }).name).toBe(user);
    const queue = await get('/api/queues/orders/orders.in');
    expect(queue.status).toBe(200);
  }, 60_000);

  it('a restarted node comes back without importing again: a policy removed at run time stays removed', async () => {
    await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'clear_policy', '-p', 'orders', 'orders-limits']);
    const t0 = Date.now();
    const r = await c.run('restart', ['rabbit2']);
    figures.restartMs = Date.now() - t0;
    expect(r.ok).toBe(true);
    expect([...((await clusterStatus(c.cluster, 'rabbit2'))?.running_nodes ?? [])].sort()).toEqual(NODES);
    // skip_if_unchanged: the file is the one already imported, so rabbit2 did not put the policy back
    const policies = json<Array<{ name: string }>>(
      await ctl(c.cluster, 'rabbit2', ['rabbitmqctl', '-q', 'list_policies', '-p', 'orders', '--formatter', 'json']),
    );
    expect(policies).toEqual([]);
    const queues = json<Array<{ name: string }>>(
      await ctl(c.cluster, 'rabbit2', ['rabbitmqctl', '-q', 'list_queues', '-p', 'orders', 'name', '--formatter', 'json']),
    );
    expect(queues.map((q) => q.name)).toEqual(['orders.in']);
    await ctl(c.cluster, 'rabbit2', ['rabbitmqctl', '-q', 'authenticate_user', c.cluster.admin.user, c.cluster.admin.pass]);
  }, 300_000);
});
