import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { packageRoot } from '../../../../lib/package-root.js';
import type { ClusterHandle } from '../../../../ops/action.js';
import { isMutating } from '../../../../ops/catalog.js';
import { createActionTable } from '../../../../ops/pipeline/action-table.js';
import { ManagementApi } from '../../../../ops/rabbit/management-api.js';
import { nodeOfPid } from '../../../../ops/rabbit/json-output.js';
import { maintenanceOf, parseClusterStatus, partitionLines } from '../../../../ops/rabbit/parse-cluster-status.js';
import { isMirrorPolicy, parsePolicies } from '../../../../ops/rabbit/parse-policies.js';
import { parseQueues, parseQueuesTable3, unhealthyQueues } from '../../../../ops/rabbit/parse-queues.js';
import { holdsAddress } from '../../../../ops/status/load-balancer-check.js';

/**
 * Parsers against outputs captured from real clusters by test/e2e/ops (RMQ_CAPTURE_FIXTURES):
 * RabbitMQ 3.10.8 (seed shape: rabbit1 disc, rabbit2/3 ram, ha-all) and 4.0.5 (3 discs, a
 * quorum queue), the images the e2e harness builds.
 */
const fixture = (name: string) => readFileSync(join(packageRoot(), 'test', 'fixtures', 'rabbitmqctl', name), 'utf8');
const ERL = ['rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3'];

describe('RabbitMQ 3.10.8, captured', () => {
  test('cluster_status: one disc, two ram, all running, maintenance and versions per node', () => {
    const s = parseClusterStatus(fixture('cluster_status-3.10.8-seed.json'));
    expect(s.discNodes).toEqual(['rabbit@rabbit1']);
    expect([...s.ramNodes].sort()).toEqual(['rabbit@rabbit2', 'rabbit@rabbit3']);
    expect([...s.runningNodes].sort()).toEqual(ERL);
    expect(s.alarms).toEqual({});
    expect(s.partitions).toEqual({});
    expect(partitionLines(s)).toEqual([]);
    expect(s.maintenance).toEqual({ 'rabbit@rabbit1': false, 'rabbit@rabbit2': false, 'rabbit@rabbit3': false });
    expect(s.versions).toEqual({ 'rabbit@rabbit1': '3.10.8', 'rabbit@rabbit2': '3.10.8', 'rabbit@rabbit3': '3.10.8' });
  });

  test('cluster_status of a drained node: the coloured, mangled "marked for maintenance" is still read', () => {
    const raw = JSON.parse(fixture('cluster_status-3.10.8-drained.json')) as { maintenance_status: Record<string, string> };
    expect(raw.maintenance_status['rabbit@rabbit2']).toBe('\uB100[35mmarked for maintenance\uB100[0m');
    const s = parseClusterStatus(fixture('cluster_status-3.10.8-drained.json'));
    expect(s.maintenance).toEqual({ 'rabbit@rabbit1': false, 'rabbit@rabbit2': true, 'rabbit@rabbit3': false });
    expect(maintenanceOf('\u001b[35mmarked for maintenance\u001b[0m')).toBe(true);
    expect(maintenanceOf('unknown')).toBeUndefined();
  });

  test('cluster_status with rabbit3 killed: still a member (ram), not running, no maintenance entry', () => {
    const s = parseClusterStatus(fixture('cluster_status-3.10.8-rabbit3-killed.json'));
    expect([...s.ramNodes].sort()).toEqual(['rabbit@rabbit2', 'rabbit@rabbit3']);
    expect([...s.runningNodes].sort()).toEqual(['rabbit@rabbit1', 'rabbit@rabbit2']);
    expect(s.maintenance['rabbit@rabbit3']).toBeUndefined();
    expect(s.versions['rabbit@rabbit3']).toBeUndefined();
  });

  test('list_policies: the definition is a JSON string on 3.10', () => {
    const [p, ...rest] = parsePolicies(fixture('list_policies-3.10.8.json'));
    expect(rest).toEqual([]);
    expect(p).toEqual({
      vhost: '/',
      name: 'ha-all',
      pattern: '^',
      applyTo: 'queues',
      priority: 0,
      definition: { 'ha-mode': 'all', 'ha-sync-mode': 'automatic' },
    });
    expect(isMirrorPolicy(p!)).toBe(true);
  });

  test('list_queues JSON prints mirror pids without their node, so it cannot name mirrors', () => {
    const rows = JSON.parse(fixture('list_queues-3.10.8.json')) as Array<{ slave_pids: string[] }>;
    expect(rows[0]!.slave_pids[0]).toMatch(/^#PID<\d+\.\d+\.\d+>$/);
    expect(() => parseQueues(fixture('list_queues-3.10.8.json'), 3)).toThrow(/table output/);
  });

  test('list_queues table: mirrors by node, all in sync', () => {
    const q = parseQueuesTable3(fixture('list_queues-3.10.8.txt'));
    expect(q).toEqual([
      { name: 'fixture-q', type: 'classic', policy: 'ha-all', replicas: ['rabbit@rabbit3', 'rabbit@rabbit2'], inSync: ['rabbit@rabbit3', 'rabbit@rabbit2'] },
    ]);
    expect(unhealthyQueues(q, 3)).toEqual([]);
  });

  test('list_queues table: a lagging mirror, an unmirrored queue, a tab in a name', () => {
    const text = [
      'orders\tclassic\tha-all\t[<rabbit@rabbit3.1795698192.1731.0>, <rabbit@rabbit2.1795698192.1858.0>]\t[<rabbit@rabbit2.1795698192.1858.0>]',
      'plain\tclassic\t\t[]\t[]',
      'odd\tname\tclassic\t\t[]\t[]',
    ].join('\n');
    const q = parseQueuesTable3(text);
    expect(q.map((x) => x.name)).toEqual(['orders', 'plain', 'odd\tname']);
    expect(q[1]!.policy).toBeUndefined();
    expect(unhealthyQueues(q, 3)).toEqual(['orders (1 unsynchronised mirror: rabbit@rabbit3)']);
    expect(() => parseQueuesTable3('garbage line')).toThrow(/5 tab-separated/);
  });

  test('pids: 3-number table pids and dotted host names', () => {
    expect(nodeOfPid('<rabbit@rabbit3.1795698192.1731.0>')).toBe('rabbit@rabbit3');
    expect(nodeOfPid('<rabbit@mq-1.example.com.1795698192.1731.0>')).toBe('rabbit@mq-1.example.com');
    expect(nodeOfPid('<rabbit@rabbit2.1677.0>')).toBe('rabbit@rabbit2');
  });

  test('ip -o addr of the keepalived holding the VIP', () => {
    const out = fixture('ip-o-addr-keepalived-3.10.8.txt');
    expect(holdsAddress(out, '172.30.200.100')).toBe(true);
    expect(holdsAddress(out, '172.30.200.2')).toBe(true);
    expect(holdsAddress(out, '172.30.200.10')).toBe(false);
    expect(holdsAddress(out, '172.30.200.1')).toBe(false);
  });

  test('management API: /api/nodes has no being_drained on 3.10; the rabbit application has the version', async () => {
    const api = fakeApi({ '/api/nodes': fixture('api-nodes-3.10.8.json'), '/api/queues': fixture('api-queues-3.10.8.json') });
    const nodes = await api.nodes('http://x');
    expect(nodes.map((n) => [n.name, n.type, n.running, n.being_drained])).toEqual([
      ['rabbit@rabbit1', 'disc', true, undefined],
      ['rabbit@rabbit2', 'ram', true, undefined],
      ['rabbit@rabbit3', 'ram', true, undefined],
    ]);
    expect(nodes[0]!.applications?.find((a) => a.name === 'rabbit')?.version).toBe('3.10.8');
    const queues = await api.queues('http://x');
    expect(queues[0]).toMatchObject({ name: 'fixture-q', slave_nodes: ['rabbit@rabbit3', 'rabbit@rabbit2'], members: [], online: [] });
  });
});

describe('RabbitMQ 4.0.5, captured', () => {
  test('cluster_status: three discs by peer discovery; cluster_tags and cpu_cores are ignored', () => {
    const s = parseClusterStatus(fixture('cluster_status-4.0.5-auto.json'));
    expect([...s.discNodes].sort()).toEqual(ERL);
    expect(s.ramNodes).toEqual([]);
    expect([...s.runningNodes].sort()).toEqual(ERL);
    expect(Object.values(s.versions)).toEqual(['4.0.5', '4.0.5', '4.0.5']);
    expect(Object.values(s.maintenance)).toEqual([false, false, false]);
  });

  test('list_queues: a quorum queue with members and online as node lists, policy ""', () => {
    const q = parseQueues(fixture('list_queues-4.0.5.json'), 4);
    expect(q).toEqual([{ name: 'jobs', type: 'quorum', policy: undefined, replicas: ERL, inSync: ERL }]);
    expect(unhealthyQueues(q, 4)).toEqual([]);
  });

  test('list_queues with rabbit3 stopped: one member offline', () => {
    const q = parseQueues(fixture('list_queues-4.0.5-member-down.json'), 4);
    expect(unhealthyQueues(q, 4)).toEqual(['jobs (2/3 members online; offline: rabbit@rabbit3)']);
  });

  test('management API: being_drained on every node (some entries lack partitions and alarms)', async () => {
    const api = fakeApi({ '/api/nodes': fixture('api-nodes-4.0.5.json'), '/api/queues': fixture('api-queues-4.0.5-member-down.json') });
    const nodes = await api.nodes('http://x');
    expect(nodes.map((n) => [n.name, n.running, n.being_drained, n.partitions])).toEqual([
      ['rabbit@rabbit1', true, false, []],
      ['rabbit@rabbit2', true, false, []],
      ['rabbit@rabbit3', true, false, []],
    ]);
    const drained = await fakeApi({ '/api/nodes': fixture('api-nodes-4.0.5-drained.json') }).nodes('http://x');
    expect(drained.map((n) => n.being_drained)).toEqual([false, true, false]);
    const [q] = await api.queues('http://x');
    expect(unhealthyQueues([{ name: q!.name, type: q!.type, policy: undefined, replicas: q!.members, inSync: q!.online }], 4)).toEqual([
      'jobs (2/3 members online; offline: rabbit@rabbit3)',
    ]);
  });

  test('list_policies with none: []', () => {
    expect(parsePolicies(fixture('list_policies-4.0.5.json'))).toEqual([]);
  });
});

describe('read-only and mutating', () => {
  test('mirror-policy list reads (no lock, readOnly rule); set and clear write', () => {
    const mp = createActionTable().get('mirror-policy')!;
    expect(isMutating(mp, ['list'])).toBe(false);
    expect(isMutating(mp, ['set', 'ha-all', '^', 'all'])).toBe(true);
    expect(isMutating(mp, ['clear', 'ha-all'])).toBe(true);
    expect(isMutating(mp, [])).toBe(true);
    const table = createActionTable();
    for (const name of ['status', 'logs', 'partitions']) expect(isMutating(table.get(name)!, [])).toBe(false);
    for (const name of ['deploy', 'join', 'restart', 'drain', 'revive', 'forget', 'sync']) expect(isMutating(table.get(name)!, [])).toBe(true);
  });
});

function fakeApi(bodies: Record<string, string>): ManagementApi {
  const cluster = { dir: '/x', manifest: { rabbitmq: { plugins: ['rabbitmq_management'] }, nodes: [], hosts: [] } } as unknown as ClusterHandle;
  return new ManagementApi(cluster, { user: 'u', password: 'p', cookie: undefined, all: [] }, async (url) => {
    const path = new URL(url).pathname.replace(/\/%2F$/, '');
    const body = bodies[path];
    if (body === undefined) throw new Error(`no fixture for ${path}`);
    return JSON.parse(body) as unknown;
  });
}
