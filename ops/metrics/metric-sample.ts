/**
 * What the watcher samples at every poll, beside the health check: message counters and queue
 * depths from the management API. Rates come from two samples' counters (rates.ts), so the
 * watcher's own history feeds the publish-drop threshold and the alert charts.
 */
export interface QueueStat {
  vhost: string;
  name: string;
  /** Ready + unacknowledged; undefined when the node has not emitted statistics for it yet. */
  messages: number | undefined;
  consumers: number | undefined;
}

export interface MetricSample {
  at: number;
  /** Cumulative since the nodes started: they fall back when a node restarts (rates skip that). */
  published: number | undefined;
  delivered: number | undefined;
  ready: number | undefined;
  unacked: number | undefined;
  queues: QueueStat[];
}

export interface Point {
  t: number;
  v: number;
}

/** An hour of the cluster's message flow, for a chart: rates in msg/s, depths in messages. */
export interface FlowHistory {
  from: number;
  to: number;
  publishRate: Point[];
  deliverRate: Point[];
  ready: Point[];
  unacked: Point[];
}
