import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerPs } from '../../../../ops/compose/parse-ps.js';
import { packageRoot } from '../../../../lib/package-root.js';
import { parseClusterStatus, partitionLines } from '../../../../ops/rabbit/parse-cluster-status.js';
import { parsePolicies, isMirrorPolicy } from '../../../../ops/rabbit/parse-policies.js';
import { parseQueues, parseQueuesTable3, unhealthyQueues } from '../../../../ops/rabbit/parse-queues.js';
import { partitionSides } from '../../../../ops/rabbit/partition-sides.js';

const fixture = (path: string) => readFileSync(join(packageRoot(), 'test', 'fixtures', path), 'utf8');

describe('cluster_status --formatter json (real output)', () => {
  test('3.10', () => {
    const s = parseClusterStatus(fixture('rabbitmqctl/cluster_status-3.10.json'));
    expect(s.discNodes).toEqual(['rabbit@r3a', 'rabbit@r3b']);
    expect(s.ramNodes).toEqual([]);
    expect(s.runningNodes.sort()).toEqual(['rabbit@r3a', 'rabbit@r3b']);
    expect(s.versions['rabbit@r3a']).toBe('3.10.8');
    expect(s.maintenance).toEqual({ 'rabbit@r3a': false, 'rabbit@r3b': false });
    expect(s.alarms).toEqual({});
    expect(partitionLines(s)).toEqual([]);
  });

  test('4.0 (extra keys such as cluster_tags and cpu_cores are ignored)', () => {
    const s = parseClusterStatus(fixture('rabbitmqctl/cluster_status-4.0.json'));
    expect(s.clusterName).toBe('rabbit@r4a');
    expect(s.discNodes).toEqual(['rabbit@r4a', 'rabbit@r4b']);
    expect(s.versions).toEqual({ 'rabbit@r4a': '4.0.5', 'rabbit@r4b': '4.0.5' });
    expect(s.partitions).toEqual({});
  });

  test('alarms and partitions in the shapes the CLI source prints (alarm maps; node → peers)', () => {
    const base = JSON.parse(fixture('rabbitmqctl/cluster_status-3.10.json')) as Record<string, unknown>;
    const s = parseClusterStatus(
      JSON.stringify({
        ...base,
        alarms: [
          { type: 'resource_limit', resource: 'memory', node: 'rabbit@r3a' },
          { type: 'resource_limit', resource: 'disk', node: 'rabbit@r3a' },
        ],
        partitions: { 'rabbit@r3a': ['rabbit@r3b'] },
        maintenance_status: { 'rabbit@r3a': 'marked for maintenance', 'rabbit@r3b': 'unknown' },
      }),
    );
    expect(s.alarms).toEqual({ 'rabbit@r3a': ['memory', 'disk'] });
    expect(partitionLines(s)).toEqual(['rabbit@r3a cannot reach rabbit@r3b']);
    expect(s.maintenance).toEqual({ 'rabbit@r3a': true, 'rabbit@r3b': undefined });
  });

  test('a banner line before the JSON is skipped', () => {
    const s = parseClusterStatus(`Cluster status of node rabbit@r3a ...\n${fixture('rabbitmqctl/cluster_status-3.10.json')}`);
    expect(s.discNodes).toHaveLength(2);
  });
});

describe('docker ps by the Compose project label', () => {
  // what `docker ps --all --no-trunc --filter label=… --format DOCKER_PS_FORMAT` prints (Docker 28 CLI)
  const lines = [
    '{"name":"rmq-seed-rabbit1-1","state":"running","status":"Up 3 minutes (healthy)","service":"rabbit1"}',
    '{"name":"rmq-seed-rabbit2-1","state":"running","status":"Up 8 seconds (health: starting)","service":"rabbit2"}',
    '{"name":"rmq-seed_rabbit3_1","state":"exited","status":"Exited (137) 2 minutes ago","service":"rabbit3"}',
    '{"name":"rmq-seed-lb1-keepalived-1","state":"running","status":"Up 3 minutes","service":"lb1-keepalived"}',
    '{"name":"stray","state":"running","status":"Up 1 hour","service":""}',
  ];

  test('one row per Compose container: service from its label, health from the status text', () => {
    expect(parseDockerPs(lines.join('\n'))).toEqual([
      { service: 'rabbit1', name: 'rmq-seed-rabbit1-1', state: 'running', health: 'healthy' },
      { service: 'rabbit2', name: 'rmq-seed-rabbit2-1', state: 'running', health: 'starting' },
      { service: 'rabbit3', name: 'rmq-seed_rabbit3_1', state: 'exited', health: '' },
      { service: 'lb1-keepalived', name: 'rmq-seed-lb1-keepalived-1', state: 'running', health: '' },
    ]);
  });

  test('empty output: no containers', () => {
    expect(parseDockerPs('')).toEqual([]);
    expect(parseDockerPs('\n')).toEqual([]);
  });
});

describe('list_queues / list_policies (shapes confirmed by test/e2e/ops; see real-output.test.ts)', () => {
  test('3.x: unsynchronised mirrors are slave pids not in synchronised_slave_pids (table output)', () => {
    const out = ['orders\tclassic\tha-all\t[<rabbit@rabbit2.1677.0>, <rabbit@rabbit3.1700.0>]\t[<rabbit@rabbit2.1677.0>]', 'plain\tclassic\t\t[]\t[]'].join(
      '\n',
    );
    const q = parseQueuesTable3(out);
    expect(q[0]!.replicas).toEqual(['rabbit@rabbit2', 'rabbit@rabbit3']);
    expect(unhealthyQueues(q, 3)).toEqual(['orders (1 unsynchronised mirror: rabbit@rabbit3)']);
  });

  test('4.x: quorum members vs online', () => {
    const out = JSON.stringify([
      { name: 'qq', type: 'quorum', policy: null, members: ['rabbit@a', 'rabbit@b', 'rabbit@c'], online: ['rabbit@a', 'rabbit@b'] },
      { name: 'cq', type: 'classic', members: '', online: '' },
    ]);
    expect(unhealthyQueues(parseQueues(out, 4), 4)).toEqual(['qq (2/3 members online; offline: rabbit@c)']);
  });

  test('policies: definition as an object or as a JSON string', () => {
    const out = JSON.stringify([
      { vhost: '/', name: 'ha-all', pattern: '^', 'apply-to': 'queues', definition: { 'ha-mode': 'all' }, priority: 0 },
      { vhost: '/', name: 'ttl', pattern: '^t', 'apply-to': 'queues', definition: '{"message-ttl":1000}', priority: '1' },
    ]);
    const p = parsePolicies(out);
    expect(p.map(isMirrorPolicy)).toEqual([true, false]);
    expect(p[1]).toEqual({ vhost: '/', name: 'ttl', pattern: '^t', applyTo: 'queues', priority: 1, definition: { 'message-ttl': 1000 } });
  });
});

describe('partition sides', () => {
  test('the larger side stays, the minority is restarted', () => {
    const r = partitionSides(
      ['rabbit@a', 'rabbit@b', 'rabbit@c'],
      { 'rabbit@a': ['rabbit@c'], 'rabbit@b': ['rabbit@c'], 'rabbit@c': ['rabbit@a', 'rabbit@b'] },
      'rabbit@a',
    );
    expect(r).toEqual({ keep: ['rabbit@a', 'rabbit@b'], restart: [['rabbit@c']] });
  });
  test('a tie keeps the side with the first disc node', () => {
    expect(partitionSides(['rabbit@a', 'rabbit@b'], { 'rabbit@b': ['rabbit@a'] }, 'rabbit@b').keep).toEqual(['rabbit@b']);
  });
  test('no reports: one side', () => {
    expect(partitionSides(['rabbit@a', 'rabbit@b'], {})).toEqual({ keep: ['rabbit@a', 'rabbit@b'], restart: [] });
  });
});
