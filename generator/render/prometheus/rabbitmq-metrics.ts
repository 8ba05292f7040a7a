import { atLeast, type RabbitmqVersion } from '../../spec/version.js';

/**
 * The RabbitMQ metric names the scrape config and the alert rules use. Each was read in the
 * rabbitmq_prometheus plugin's sources (rabbitmq/rabbitmq-server, deps/rabbitmq_prometheus/src/
 * collectors/) at v3.10.8, v4.0.5, v4.2.0 and v4.3.5 (the lines the test images run), and where
 * rabbitmq.com/docs/prometheus lists them, there too. Older lines lack some (rules/monitoring.ts
 * warns): the alarm collector came with 3.8.25 and 3.9.4, the global counters with 3.9.0.
 */
export const METRICS = {
  /**
   * prometheus_rabbitmq_alarm_metrics_collector.erl: "rabbitmq_alarms_" ++ memory_used_watermark
   * and free_disk_space_watermark, 1 while this node's own alarm is in effect (from
   * rabbit_alarm:get_local_alarms), else 0. Served on /metrics only (3.10's per-object registry
   * lacks this collector). 3.10 also had file_descriptor_limit there; 4.3 dropped it, so the file
   * descriptor rule uses the two gauges below instead.
   */
  memoryAlarm: 'rabbitmq_alarms_memory_used_watermark',
  diskAlarm: 'rabbitmq_alarms_free_disk_space_watermark',
  /**
   * prometheus_rabbitmq_core_metrics_collector.erl: process_open_fds (node_coarse_metrics,
   * fd_used: the entries of /proc/<pid>/fd on Linux) and process_max_fds (node_metrics, fd_total:
   * the ulimit), prefixed "rabbitmq_"; filled by rabbitmq_management_agent, a dependency of
   * the plugin. Listed in the docs' node_coarse_metrics / node_metrics tables.
   */
  openFds: 'rabbitmq_process_open_fds',
  maxFds: 'rabbitmq_process_max_fds',
  /**
   * rabbit_global_counters.erl (messages_unroutable_dropped_total, _returned_total, one series
   * per `protocol` label) through prometheus_rabbitmq_global_metrics_collector.erl, prefix
   * "rabbitmq_global_". Node-wide counters: they count on /metrics without per-object cost.
   */
  unroutableDropped: 'rabbitmq_global_messages_unroutable_dropped_total',
  unroutableReturned: 'rabbitmq_global_messages_unroutable_returned_total',
} as const;

/**
 * Per-queue depth from /metrics/detailed?family=queue_coarse_metrics (docs: "Queue coarse
 * metrics", the cheapest per-queue family), labels vhost and queue. Kept for queries and
 * dashboards; the queue-depth limit is the user's to choose, so no rule uses it.
 */
export const QUEUE_DEPTH_METRICS = [
  'rabbitmq_detailed_queue_messages',
  'rabbitmq_detailed_queue_messages_ready',
  'rabbitmq_detailed_queue_messages_unacked',
] as const;

/**
 * The Raft term of every quorum queue member a node runs, from /metrics/detailed?family=ra_metrics
 * (docs: "Raft-related metrics"), labels vhost and queue, or undefined where it has no queue label:
 *  - 3.x: ra_metrics rows are keyed by the Ra server's name, an atom, which the collector's
 *    label/1 turns into no label at all (3.10.8 … 3.13.7): per-queue counting is impossible;
 *  - 4.0, 4.1: keyed by the queue (rabbit_quorum_queue sets metrics_key => QName), from the core
 *    collector's ra_metrics group: rabbitmq_detailed_raft_term_total (as the docs' table says);
 *  - 4.2 and later: prometheus_rabbitmq_raft_metrics_collector.erl formats Ra's own counters
 *    (seshat) instead, and the name lost its suffix: rabbitmq_detailed_raft_term (the plugin's
 *    rabbit_prometheus_http_SUITE asserts it at v4.2.0 and v4.3.5).
 * Every member reports it, followers included, so counting the nodes that report a queue counts
 * its members on running nodes.
 */
export function raftTermMetric(version: RabbitmqVersion): string | undefined {
  if (!atLeast(version, 4, 0)) return undefined;
  return atLeast(version, 4, 2) ? 'rabbitmq_detailed_raft_term' : 'rabbitmq_detailed_raft_term_total';
}
