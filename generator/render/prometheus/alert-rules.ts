import type { ClusterModel } from '../../spec/model.js';
import { prometheusJobs } from './prometheus-layout.js';
import { METRICS, raftTermMetric } from './rabbitmq-metrics.js';

/** One Prometheus alerting rule, and what the cluster README says of it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: 'critical' | 'warning' };
  /** Prometheus templates ({{ $labels.node }}, {{ $value }}) are expanded when the alert fires. */
  annotations: { summary: string; description: string };
  /** Plain words for the README: when it fires, and what to do. */
  readme: { when: string; action: string };
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface RuleFile {
  groups: Array<{ name: string; rules: Array<RecordingRule | Omit<AlertRule, 'readme'>> }>;
}

/** Online members of each quorum queue, recorded so the alert can look back at the most it had. */
export const QUORUM_MEMBERS_RECORD = 'rmq_compose:quorum_queue_members_online:count';
/** How far back the quorum rule looks for a queue's member count. */
const MEMBERS_LOOKBACK = '24h';

/** Every alert of the cluster, in the order the README lists them. */
export function alertRules(model: ClusterModel): AlertRule[] {
  const jobs = prometheusJobs(model);
  const nodes = `job="${jobs.nodes}"`;
  const r = model.rabbitmq;
  const majority = Math.floor(model.nodes.length / 2) + 1;
  const rules: AlertRule[] = [
    {
      alert: 'RabbitmqNodeDown',
      expr: `up{${nodes}} == 0`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `RabbitMQ node {{ $labels.node }} of ${model.name} is down`,
        description:
          'Prometheus has not reached {{ $labels.node }} ({{ $labels.instance }}) for a minute: the node, its container or its machine is down, or the network to it. ' +
          '`rmq-compose status` shows what runs; `rmq-compose restart {{ $labels.node }}` brings the node back and waits until it is clustered again.',
      },
      readme: { when: 'Prometheus cannot scrape a node for 1 minute', action: '`rmq-compose status`, then `rmq-compose restart <node>`' },
    },
    {
      alert: 'RabbitmqMemoryAlarm',
      expr: `${METRICS.memoryAlarm}{${nodes}} > 0`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Memory alarm on {{ $labels.node }} of ${model.name}: publishers are blocked`,
        description:
          `{{ $labels.node }} uses more memory than its high watermark (rabbitmq.memoryHighWatermark ${r.memoryHighWatermark}), so RabbitMQ blocks every publishing connection of the cluster. ` +
          '`rmq-compose status` shows the alarm and the queues; let consumers drain the deep queues, or give the node more memory (a higher memoryHighWatermark: `rmq-compose gen`, then `rmq-compose restart {{ $labels.node }}`).',
      },
      readme: {
        when: 'a node is above its memory high watermark for 1 minute (publishers blocked)',
        action: '`rmq-compose status`; drain deep queues, or more memory and `rmq-compose restart <node>`',
      },
    },
    {
      alert: 'RabbitmqDiskAlarm',
      expr: `${METRICS.diskAlarm}{${nodes}} > 0`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Disk alarm on {{ $labels.node }} of ${model.name}: publishers are blocked`,
        description:
          `{{ $labels.node }} has less free disk than rabbitmq.diskFreeLimit (${r.diskFreeLimit}), so RabbitMQ blocks every publishing connection of the cluster until there is more. ` +
          'Free space on that machine (the node keeps its data in the volume {{ $labels.node }}-data); `rmq-compose status` shows the alarm and the deep queues.',
      },
      readme: {
        when: `a node has less free disk than diskFreeLimit (${r.diskFreeLimit}) for 1 minute (publishers blocked)`,
        action: 'free disk on that machine; `rmq-compose status`',
      },
    },
    {
      alert: 'RabbitmqFileDescriptorsNearLimit',
      // (… > 0): a limit the node could not read is not a division by zero
      expr: `${METRICS.openFds}{${nodes}} / (${METRICS.maxFds}{${nodes}} > 0) > 0.8`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `{{ $labels.node }} of ${model.name} uses {{ $value | humanizePercentage }} of its file descriptors`,
        description:
          '{{ $labels.node }} has used more than 80% of its file descriptors for 5 minutes; at the limit it refuses new connections. ' +
          'Look for a client that opens connections without closing them (`rmq-compose status`), or raise limits.nofile in the spec, run `rmq-compose gen` and restart the nodes one at a time (`rmq-compose restart {{ $labels.node }}`).',
      },
      readme: {
        when: 'a node has more than 80% of its file descriptors open for 5 minutes',
        action: 'find the leaking client, or raise `limits.nofile`, `gen`, `rmq-compose restart <node>`',
      },
    },
    {
      alert: 'RabbitmqUnroutableMessages',
      expr: `rate(${METRICS.unroutableDropped}{${nodes}}[5m]) + rate(${METRICS.unroutableReturned}{${nodes}}[5m]) > 0`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `{{ $labels.node }} of ${model.name} drops or returns unroutable messages`,
        description:
          'Messages published to {{ $labels.node }} over {{ $labels.protocol }} matched no queue in the last 5 minutes ({{ printf "%.2f" $value }} per second) and were dropped, or returned to publishers that set mandatory: ' +
          'a queue or binding is missing, or a publisher uses a wrong exchange or routing key. `rmq-compose status` lists the queues; compare them with what the publishers send.',
      },
      readme: {
        when: 'messages matched no queue in the last 5 minutes (dropped or returned)',
        action: 'check bindings against the publishers’ exchanges and routing keys; `rmq-compose status`',
      },
    },
    {
      alert: 'RabbitmqClusterMajorityDown',
      expr: `sum by (cluster) (up{${nodes}}) < ${majority}`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Only {{ $value }} of ${model.nodes.length} nodes of ${model.name} answer: quorum queues without a majority`,
        description:
          `Fewer than ${majority} of the ${model.nodes.length} nodes answer Prometheus. A quorum queue needs a majority of its members: one with members on most of the missing nodes (with RabbitMQ's default of 3 members, every quorum queue of a 3-node cluster) has no leader and refuses publishes and deliveries. ` +
          'Bring the nodes back one at a time: `rmq-compose status`, then `rmq-compose restart <node>`.',
      },
      readme: {
        when: `fewer than ${majority} of ${model.nodes.length} nodes answer for 1 minute: quorum queues lose their majority`,
        action: '`rmq-compose status`, then `rmq-compose restart <node>` for each one down',
      },
    },
  ];
  const perQueue = quorumQueueRule(model);
  return perQueue ? [...rules, perQueue] : rules;
}

/**
 * No metric states a quorum queue's member count or online members (checked in the plugin's
 * collectors, 3.10.8 to 4.3.5: 4.3's rabbitmq_queue_info has a membership label, but only
 * on /metrics/per-object and only from running nodes). So it is derived: every running member
 * reports its Raft term (raftTermMetric), and the number of nodes reporting a queue is its
 * members online; the most it had in the last 24 hours stands in for its member count.
 *
 * Catches: members lost with their nodes (stopped, crashed, unreachable for Prometheus) while
 * the queue had been seen whole within 24 hours. Misses: a queue declared while nodes were
 * already down, a majority lost for more than 24 hours (the alert then resolves, while
 * RabbitmqNodeDown still fires), a member whose node runs but is cut off from the leader (a
 * partition; `rmq-compose partitions`). Can be wrong: for up to 24 hours after members were
 * removed on purpose (rabbitmq-queues shrink), and when only the /metrics/detailed scrape fails.
 * RabbitMQ 3.x gives Raft metrics no queue label: there only RabbitmqClusterMajorityDown applies.
 */
function quorumQueueRule(model: ClusterModel): AlertRule | undefined {
  if (!raftTermMetric(model.rabbitmq.version)) return undefined;
  const series = `${QUORUM_MEMBERS_RECORD}{cluster="${model.name}"}`;
  return {
    alert: 'RabbitmqQuorumQueueNoMajority',
    expr: `${series}\n  < on (cluster, vhost, queue)\nfloor(max_over_time(${series}[${MEMBERS_LOOKBACK}]) / 2) + 1`,
    for: '1m',
    labels: { severity: 'critical' },
    annotations: {
      summary: `Quorum queue {{ $labels.queue }} of ${model.name} has lost its majority`,
      description:
        'Quorum queue {{ $labels.queue }} (vhost {{ $labels.vhost }}) has {{ $value }} member(s) on running nodes, fewer than a majority of the members it had in the last 24 hours: it has no leader and refuses publishes and deliveries until enough members are back. ' +
        'Restart the nodes that are down one at a time (`rmq-compose status`, then `rmq-compose restart <node>`); do not remove their members.',
    },
    readme: {
      when: 'a quorum queue has members on fewer running nodes than a majority of its members (seen in the last 24 hours) for 1 minute',
      action: '`rmq-compose status`, then `rmq-compose restart <node>`; do not shrink the queue',
    },
  };
}

/** What alerts.yml says above a rule whose expression needs explaining (the derived quorum rule). */
export function ruleComments(model: ClusterModel): Map<string, string> {
  if (!raftTermMetric(model.rabbitmq.version)) {
    return new Map([
      [
        'RabbitmqClusterMajorityDown',
        `RabbitMQ ${model.rabbitmq.version.text} gives its Raft metrics no queue label: quorum queues are watched through the number of nodes that answer.`,
      ],
    ]);
  }
  return new Map([
    [
      QUORUM_MEMBERS_RECORD,
      [
        "No metric states a quorum queue's members: every running member reports its Raft term, so the nodes",
        'reporting a queue are its members online, and the most it had in 24 hours stands in for its size.',
        'Catches members lost with their nodes (stopped, crashed, or not reachable by Prometheus) once the',
        'queue had been seen whole. Misses a queue declared while nodes were down, a loss older than 24 hours,',
        'a member cut off from its leader while its node still answers (`rmq-compose partitions`). Wrong for',
        'up to 24 hours after members were removed on purpose (rabbitmq-queues shrink).',
      ].join('\n'),
    ],
  ]);
}

/** The recording rule the per-queue quorum alert reads, when there is one. */
export function recordingRules(model: ClusterModel): RecordingRule[] {
  const raftTerm = raftTermMetric(model.rabbitmq.version);
  if (!raftTerm) return [];
  // queue!="": 4.x Ra clusters other than queues (Khepri, the stream coordinator) report too
  return [{ record: QUORUM_MEMBERS_RECORD, expr: `count by (cluster, vhost, queue) (${raftTerm}{job="${prometheusJobs(model).queues}", queue!=""})` }];
}

/** alerts.yml: one group, recording rule first (rules of a group run in order, at one time). */
export function ruleFile(model: ClusterModel): RuleFile {
  const alerts = alertRules(model).map(({ readme: _readme, ...rule }) => rule);
  return { groups: [{ name: `rabbitmq-${model.name}`, rules: [...recordingRules(model), ...alerts] }] };
}
