import type { StatusData } from '../status/status-view.js';
import { certificateFindings } from './certificate-findings.js';
import type { CheckId, HealthFinding, RunbookStep, Severity } from './health-finding.js';

export { CHECK_IDS, METRIC_CHECK_IDS } from '../catalog.js';
export type { CheckId, HealthFinding, MetricCheckId, RunbookStep, Severity } from './health-finding.js';

export type Verdict = 'healthy' | Severity;

/** Facts `status` does not gather, asked by `check` itself. */
export interface ExtraFacts {
  /** Running nodes RabbitMQ says some queue depends on right now (check_if_node_is_quorum_critical …). */
  quorumCritical: Array<{ node: string; findings: string[] }>;
  /** Deprecated features in use; undefined where the version cannot list them (before 3.13). */
  deprecated: string[] | undefined;
  /** The image's line is past community support, with when it ended and the newest supported line. */
  support: { version: string; ended: string | undefined; newest: string | undefined } | undefined;
  /** Said once, changing no verdict (check's `notes`): rmq-compose's version table ran out. */
  notes: string[];
}

export function verdictOf(findings: readonly HealthFinding[]): Verdict {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  return findings.length > 0 ? 'degraded' : 'healthy';
}

/** Nagios-style: 0 healthy, 1 degraded, 2 critical (README "check"). */
export function exitCodeOf(verdict: Verdict): 0 | 1 | 2 {
  return verdict === 'healthy' ? 0 : verdict === 'degraded' ? 1 : 2;
}

export function judgeStatus(d: StatusData, extra: ExtraFacts): HealthFinding[] {
  const out: HealthFinding[] = [];
  const add = (check: CheckId, severity: Severity, subject: string, what: string, action: string, run?: RunbookStep) =>
    out.push({ check, severity, subject, what, action, ...(run ? { run } : {}) });
  const running = d.nodes.filter((n) => n.running).length;
  const majorityLost = running < Math.floor(d.nodes.length / 2) + 1;

  for (const h of d.unreachableHosts ?? [])
    add(
      'host-unreachable',
      majorityLost ? 'critical' : 'degraded',
      h.host,
      `machine ${h.host} does not answer (${h.reason}); its nodes count as down`,
      `check the machine, then \`rmq-compose status\``,
    );
  for (const n of d.nodes) {
    if (!n.running) {
      if (d.unreachableHosts?.length && n.container === 'unreachable') continue;
      const missing = n.container === 'missing' || n.container === '';
      add(
        'node-down',
        majorityLost ? 'critical' : 'degraded',
        n.name,
        `${n.name} is not running (container ${n.container || 'missing'})${majorityLost ? `: only ${running} of ${d.nodes.length} nodes run, the cluster has lost its majority` : ''}`,
        missing ? '`rmq-compose deploy`' : `\`rmq-compose restart ${n.name}\``,
        missing ? { action: 'deploy', argv: [] } : { action: 'restart', argv: [n.name] },
      );
      continue;
    }
    if (!n.clustered)
      add(
        'not-clustered',
        'critical',
        n.name,
        `${n.name} runs but is not in the cluster: clients reaching it see other queues`,
        `\`rmq-compose join ${n.name}\``,
        { action: 'join', argv: [n.name] },
      );
    if (n.maintenance)
      add(
        'maintenance',
        'degraded',
        n.name,
        `${n.name} is in maintenance mode (drained): it takes no clients and leads no queue`,
        `\`rmq-compose revive ${n.name}\``,
        { action: 'revive', argv: [n.name] },
      );
    for (const alarm of n.alarms) {
      add(
        'alarm',
        'critical',
        n.name,
        `${alarm} alarm on ${n.name}: every publisher in the cluster is blocked until it clears`,
        alarm === 'disk'
          ? `free disk space on ${n.name}'s machine, then \`rmq-compose status\``
          : `find the queue that grows (\`rmq-compose status\`), consume it or give ${n.name} more memory`,
        { action: 'status', argv: [] },
      );
    }
  }
  for (const p of d.partitions)
    add('partition', 'critical', 'cluster', `network partition: ${p}`, '`rmq-compose partitions` (it says which nodes to restart)', {
      action: 'partitions',
      argv: [],
    });
  for (const q of d.queues?.withoutMajority ?? [])
    add(
      'no-majority',
      'critical',
      q,
      `quorum queue ${q}: fewer members online than a majority, it accepts and delivers nothing`,
      'bring its offline members back (`rmq-compose status` names them; `rmq-compose restart <node>`)',
    );
  const noMajority = new Set((d.queues?.withoutMajority ?? []).map((q) => q.split(' ')[0]));
  for (const q of d.queues?.unhealthy ?? []) {
    if (noMajority.has(q.split(' ')[0])) continue;
    const quorum = d.queues?.kind === 'quorum';
    add(
      'unsynchronised',
      'degraded',
      q,
      quorum ? `quorum queue ${q}: it works, with less redundancy` : `mirrored queue ${q}: a failure of its master now could lose messages`,
      quorum ? 'bring the offline members back (`rmq-compose restart <node>`)' : `\`rmq-compose sync ${q.split(' ')[0]}\``,
      quorum ? undefined : { action: 'sync', argv: [q.split(' ')[0]!] },
    );
  }
  const imbalance = leaderImbalance(d);
  if (imbalance) {
    const { node, leads, total, nodes, share } = imbalance;
    add(
      'leader-imbalance',
      'degraded',
      node,
      `${node} leads ${leads} of ${total} quorum queues (an even share is ${share} on ${nodes} running nodes): its CPU, disk and network carry most of the queue traffic, and a failure of ${node} moves most leaders at once`,
      '`rmq-compose rebalance`',
      { action: 'rebalance', argv: [] },
    );
  }
  for (const c of extra.quorumCritical)
    add(
      'quorum-critical',
      'degraded',
      c.node,
      `${c.node} cannot stop now without some queue losing its majority or last synchronised mirror (${c.findings.join('; ')})`,
      'do not restart or drain it until `rmq-compose status` shows every replica online',
    );
  const lb = d.loadBalancer;
  if (lb) {
    const byPort = new Map<string, typeof lb.listeners>();
    for (const l of lb.listeners) byPort.set(`${l.protocol}:${l.port}`, [...(byPort.get(`${l.protocol}:${l.port}`) ?? []), l]);
    for (const [key, ls] of byPort) {
      const down = ls.filter((l) => !l.reachable);
      if (down.length === 0) continue;
      const all = down.length === ls.length;
      add(
        'listener',
        all ? 'critical' : 'degraded',
        key,
        `${key} does not answer at ${down.map((l) => `${l.instance} (${l.address})`).join(', ')}${all ? ': clients cannot connect' : ''}`,
        '`rmq-compose deploy` (starts what is stopped), then `rmq-compose status`',
        { action: 'deploy', argv: [] },
      );
    }
    if (lb.vipHolders !== undefined) {
      if (lb.vipHolders.length === 0)
        add(
          'vip',
          'critical',
          'VIP',
          'no load balancer holds the virtual IP: clients using it cannot connect',
          '`rmq-compose deploy` (keepalived), then `rmq-compose status`',
          { action: 'deploy', argv: [] },
        );
      if (lb.vipHolders.length > 1)
        add(
          'vip',
          'critical',
          'VIP',
          `the virtual IP is held by ${lb.vipHolders.join(' and ')} at once (split brain): connections land at random`,
          'check the network between the load balancers (VRRP), then `rmq-compose status`',
        );
    }
  }
  out.push(...certificateFindings(d));
  if (extra.support) {
    const { version, ended, newest } = extra.support;
    const major = Number(version.split('.')[0]);
    add(
      'support',
      'degraded',
      'image',
      `RabbitMQ ${version} is past community support${ended ? ` (since ${ended})` : ''}: no more public fixes`,
      major < 4
        ? '`rmq-compose migrate --to rabbitmq:<4.x>-management` (no in-place path from 3.x to 4.x)'
        : `\`rmq-compose upgrade --to rabbitmq:${newest ?? '<newer>'}-management\` (one line at a time)`,
    );
  }
  for (const f of extra.deprecated ?? [])
    add(
      'deprecated',
      'degraded',
      f,
      `deprecated feature in use: ${f}; a later RabbitMQ may refuse it`,
      'move off it before the next `rmq-compose upgrade` (its pre-check lists them)',
    );
  return out;
}

/** Fewer quorum queues than this, and leaders are not judged: a node leading 2 of 2 is no pile-up worth an alert. */
export const LEADER_IMBALANCE_MIN_QUEUES = 3;

/**
 * The busiest node when it leads clearly more quorum queues than an even share: with N leaders
 * on k running nodes not in maintenance (k ≥ 2, N ≥ 3), share = ceil(N / k), and the busiest
 * node leads more than max(ceil(share × 1.5), share + 2). The factor catches a pile-up however
 * many queues there are (100 on 3 nodes: more than 51 on one); the + 2 keeps a few queues from
 * alerting over a difference of one or two elections (9 on 3: 6 or more on one node; 3 on 3
 * never, since moving one leader there changes little and each move pauses a queue). Drained
 * nodes lead nothing by design and down nodes cannot: they are left out of k, so a drain or a
 * node down (its own finding) does not also ask for a rebalance.
 */
export function leaderImbalance(
  d: Pick<StatusData, 'nodes' | 'queues'>,
): { node: string; leads: number; total: number; nodes: number; share: number; limit: number } | undefined {
  const leaders = d.queues?.leaders;
  if (!leaders) return undefined;
  const eligible = d.nodes.filter((n) => n.running && !n.maintenance && leaders[n.name] !== undefined);
  const total = eligible.reduce((sum, n) => sum + leaders[n.name]!, 0);
  if (eligible.length < 2 || total < LEADER_IMBALANCE_MIN_QUEUES) return undefined;
  const share = Math.ceil(total / eligible.length);
  const limit = Math.max(Math.ceil(share * 1.5), share + 2);
  const busiest = eligible.reduce((a, b) => (leaders[b.name]! > leaders[a.name]! ? b : a));
  const leads = leaders[busiest.name]!;
  return leads > limit ? { node: busiest.name, leads, total, nodes: eligible.length, share, limit } : undefined;
}

/** One line per finding, worst first (critical before degraded, else in the order judged). */
export function renderFindings(findings: readonly HealthFinding[]): string[] {
  return bySeverity(findings).map(findingLine);
}

/** "CRITICAL rabbit2: … → `rmq-compose restart rabbit2`": one finding as `check` prints it. */
export function findingLine(f: HealthFinding): string {
  return `${f.severity.toUpperCase()} ${f.subject}: ${f.what} → ${f.action}`;
}

/** Critical first, then degraded; a stable sort, so each keeps the order it was judged in. */
export function bySeverity(findings: readonly HealthFinding[]): HealthFinding[] {
  return [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
}
