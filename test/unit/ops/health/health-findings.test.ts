import { exitCodeOf, judgeStatus, renderFindings, verdictOf, type ExtraFacts } from '../../../../ops/health/findings.js';
import type { NodeStatus, StatusData } from '../../../../ops/status/status-view.js';
import { supportFacts } from '../../../../ops/health/check-cluster.js';
import { TABLE_CHECKED } from '../../../../contract/rabbitmq-versions.js';

/** `check`'s judgement: facts in, findings with their runbook command out, one verdict. */
const node = (name: string, o: Partial<NodeStatus> = {}): NodeStatus => ({
  name,
  running: true,
  type: 'disc',
  version: '4.3.6',
  alarms: [],
  container: 'running',
  clustered: true,
  ...o,
});
const status = (o: Partial<StatusData> = {}): StatusData => ({
  cluster: 'prod',
  version: '4.3.6',
  nodes: [node('rabbit1'), node('rabbit2'), node('rabbit3')],
  partitions: [],
  queues: { kind: 'quorum', total: 2, states: { 'no-majority': 0, lagging: 0, 'in-sync': 2, unreplicated: 0 }, unhealthy: [] },
  loadBalancer: {
    listeners: [
      { instance: 'lb1', protocol: 'amqp', port: 5670, address: '10.0.0.21', reachable: true },
      { instance: 'VIP', protocol: 'amqp', port: 5670, address: '10.0.0.100', reachable: true },
    ],
    vipHolder: 'lb1',
    vipHolders: ['lb1'],
  },
  source: 'management API',
  healthy: true,
  ...o,
});
const none: ExtraFacts = { quorumCritical: [], deprecated: [], support: undefined, notes: [] };

describe('judgeStatus', () => {
  test('a healthy cluster: no finding, exit 0', () => {
    const f = judgeStatus(status(), none);
    expect(f).toEqual([]);
    expect(verdictOf(f)).toBe('healthy');
    expect(exitCodeOf(verdictOf(f))).toBe(0);
  });

  test('one node of three down: degraded, restart it; its queues lost a member; the others are now quorum-critical', () => {
    const d = status({
      nodes: [node('rabbit1'), node('rabbit2'), node('rabbit3', { running: false, container: 'exited', clustered: false })],
      queues: {
        kind: 'quorum',
        total: 1,
        states: { 'no-majority': 0, lagging: 1, 'in-sync': 0, unreplicated: 0 },
        unhealthy: ['jobs (2/3 members online; offline: rabbit@rabbit3)'],
      },
    });
    const f = judgeStatus(d, { ...none, quorumCritical: [{ node: 'rabbit1', findings: ['check_if_node_is_quorum_critical: jobs'] }] });
    expect(f.map((x) => [x.check, x.severity, x.subject])).toEqual([
      ['node-down', 'degraded', 'rabbit3'],
      ['unsynchronised', 'degraded', 'jobs (2/3 members online; offline: rabbit@rabbit3)'],
      ['quorum-critical', 'degraded', 'rabbit1'],
    ]);
    expect(f[0]!.action).toBe('`rmq-compose restart rabbit3`');
    expect(exitCodeOf(verdictOf(f))).toBe(1);
  });

  test('two of three down: the majority is lost, critical; a quorum queue without majority is critical and not counted twice', () => {
    const d = status({
      nodes: [node('rabbit1'), node('rabbit2', { running: false, container: 'exited' }), node('rabbit3', { running: false, container: 'missing' })],
      queues: {
        kind: 'quorum',
        total: 1,
        states: { 'no-majority': 1, lagging: 0, 'in-sync': 0, unreplicated: 0 },
        unhealthy: ['jobs (1/3 members online; offline: rabbit@rabbit2, rabbit@rabbit3)'],
        withoutMajority: ['jobs (1/3 members online)'],
      },
    });
    const f = judgeStatus(d, none);
    expect(f.map((x) => [x.check, x.severity, x.action])).toEqual([
      ['node-down', 'critical', '`rmq-compose restart rabbit2`'],
      ['node-down', 'critical', '`rmq-compose deploy`'],
      ['no-majority', 'critical', expect.stringContaining('rmq-compose restart')],
    ]);
    expect(exitCodeOf(verdictOf(f))).toBe(2);
  });

  test('alarms, partitions, a node outside the cluster, maintenance', () => {
    const d = status({
      nodes: [node('rabbit1', { alarms: ['memory'] }), node('rabbit2', { clustered: false }), node('rabbit3', { maintenance: true })],
      partitions: ['rabbit@rabbit1 cannot see rabbit@rabbit2'],
    });
    const f = judgeStatus(d, none);
    expect(f.map((x) => [x.check, x.severity])).toEqual([
      ['alarm', 'critical'],
      ['not-clustered', 'critical'],
      ['maintenance', 'degraded'],
      ['partition', 'critical'],
    ]);
    expect(f.find((x) => x.check === 'alarm')!.what).toMatch(/memory alarm on rabbit1: every publisher in the cluster is blocked/);
    expect(f.find((x) => x.check === 'maintenance')!.action).toBe('`rmq-compose revive rabbit3`');
    expect(f.find((x) => x.check === 'partition')!.action).toMatch(/rmq-compose partitions/);
  });

  test('load balancer: one listener down is degraded, all down critical; the VIP held by none or by two is critical', () => {
    const listeners = [
      { instance: 'lb1', protocol: 'amqp', port: 5670, address: '10.0.0.21', reachable: false },
      { instance: 'lb2', protocol: 'amqp', port: 5670, address: '10.0.0.22', reachable: true },
    ];
    expect(judgeStatus(status({ loadBalancer: { listeners, vipHolders: ['lb2'] } }), none).map((x) => [x.check, x.severity])).toEqual([
      ['listener', 'degraded'],
    ]);
    const allDown = listeners.map((l) => ({ ...l, reachable: false }));
    expect(judgeStatus(status({ loadBalancer: { listeners: allDown, vipHolders: [] } }), none).map((x) => [x.check, x.severity])).toEqual([
      ['listener', 'critical'],
      ['vip', 'critical'],
    ]);
    const split = judgeStatus(status({ loadBalancer: { listeners: [], vipHolders: ['lb1', 'lb2'] } }), none);
    expect(split[0]!.what).toMatch(/held by lb1 and lb2 at once \(split brain\)/);
  });

  test('unreachable machine: named once, its nodes not again', () => {
    const d = status({
      nodes: [node('rabbit1'), node('rabbit2'), node('rabbit3', { running: false, container: 'unreachable' })],
      unreachableHosts: [{ host: 'mq3', reason: 'ssh: no route to host' }],
    });
    const f = judgeStatus(d, none);
    expect(f.map((x) => [x.check, x.subject])).toEqual([['host-unreachable', 'mq3']]);
  });

  test('past support: 3.x is told to migrate, 4.x to upgrade to the newest line; deprecated features listed', () => {
    const three = judgeStatus(status(), { ...none, support: { version: '3.13.7', ended: '2024-09-30', newest: '4.3' } });
    expect(three[0]!.action).toMatch(/rmq-compose migrate/);
    const four = judgeStatus(status(), {
      ...none,
      support: { version: '4.1.2', ended: '2026-01-31', newest: '4.3' },
      deprecated: ['transient_nonexcl_queues (permitted_by_default)'],
    });
    expect(four.map((x) => [x.check, x.severity])).toEqual([
      ['support', 'degraded'],
      ['deprecated', 'degraded'],
    ]);
    expect(four[0]!.action).toBe('`rmq-compose upgrade --to rabbitmq:4.3-management` (one line at a time)');
  });

  test('rendered worst first, with the action after an arrow', () => {
    const f = judgeStatus(status({ nodes: [node('rabbit1', { maintenance: true }), node('rabbit2', { alarms: ['disk'] }), node('rabbit3')] }), none);
    expect(renderFindings(f)[0]).toMatch(/^CRITICAL rabbit2: disk alarm on rabbit2.* → free disk space on rabbit2's machine/);
    expect(renderFindings(f)[1]).toMatch(/^DEGRADED rabbit1: .* → `rmq-compose revive rabbit1`$/);
  });

  test('each finding a tool action addresses carries it as a runbook step (the alert buttons), matching its command', () => {
    const f = judgeStatus(
      status({
        nodes: [node('rabbit1', { maintenance: true }), node('rabbit2', { running: false, container: 'exited' }), node('rabbit3', { clustered: false })],
        partitions: ['rabbit3 vs rabbit1'],
      }),
      none,
    );
    const steps = Object.fromEntries(f.map((x) => [`${x.check} ${x.subject}`, x.run && [x.run.action, ...x.run.argv].join(' ')]));
    expect(steps).toMatchObject({
      'node-down rabbit2': 'restart rabbit2',
      'not-clustered rabbit3': 'join rabbit3',
      'maintenance rabbit1': 'revive rabbit1',
      'partition cluster': 'partitions',
    });
    for (const x of f) if (x.run && x.run.action !== 'status') expect(x.action).toContain(`rmq-compose ${[x.run.action, ...x.run.argv].join(' ')}`);
    const missing = judgeStatus(status({ nodes: [node('rabbit1'), node('rabbit2', { running: false, container: 'missing' }), node('rabbit3')] }), none);
    expect(missing.find((x) => x.check === 'node-down')?.run).toEqual({ action: 'deploy', argv: [] });
  });
});

describe('support judged on the day asked (check)', () => {
  const judged = (version: string, today: string) => {
    const facts = supportFacts(version, today);
    const findings = judgeStatus(status({ version }), { ...none, ...facts });
    return { verdict: verdictOf(findings), checks: findings.map((f) => f.check), actions: findings.map((f) => f.action), notes: facts.notes };
  };

  test('4.3 the day before its end date: healthy; on it: degraded, with the upgrade to 4.4', () => {
    expect(judged('4.3.6', '2026-11-29')).toEqual({ verdict: 'healthy', checks: [], actions: [], notes: [] });
    expect(judged('4.3.6', '2026-11-30')).toEqual({
      verdict: 'degraded',
      checks: ['support'],
      actions: ['`rmq-compose upgrade --to rabbitmq:4.4-management` (one line at a time)'],
      notes: [],
    });
  });

  test('4.4 while the table vouches for it: healthy', () => {
    expect(judged('4.4.1', '2026-12-07')).toEqual({ verdict: 'healthy', checks: [], actions: [], notes: [] });
  });

  test('a table that knows no supported line: one note, no finding, the verdict untouched', () => {
    const four4 = judged('4.4.1', '2029-12-31');
    expect(four4).toMatchObject({ verdict: 'healthy', checks: [] });
    expect(four4.notes).toEqual([
      `rmq-compose's version table ends at 4.4 (checked ${TABLE_CHECKED}) and knows no RabbitMQ line in community support on 2029-12-31; update rmq-compose`,
    ]);
    const four3 = judged('4.3.6', '2029-12-31');
    expect(four3).toMatchObject({ verdict: 'healthy', checks: [] });
    expect(four3.notes).toEqual([expect.stringMatching(/update rmq-compose \(RabbitMQ 4\.3\.6's community support ended 2026-11-30\)$/)]);
  });
});
