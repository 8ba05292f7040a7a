import { RABBITMQ_METRICS_PORT } from '../../../contract/ports.js';
import type { ClusterModel } from '../../spec/model.js';
import { PROMETHEUS_FILES, prometheusJobs } from './prometheus-layout.js';
import { QUEUE_DEPTH_METRICS, raftTermMetric } from './rabbitmq-metrics.js';

/** Prometheus' default scrape timeout; it may not exceed the scrape interval. */
const DEFAULT_TIMEOUT_SECONDS = 10;

interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}

/** The subset of prometheus.yml written here: valid for Prometheus 2.x and 3.x alike. */
export interface PrometheusConfig {
  global: { scrape_interval: string; scrape_timeout: string; evaluation_interval: string };
  rule_files: string[];
  scrape_configs: Array<{
    job_name: string;
    metrics_path: string;
    params?: Record<string, string[]>;
    static_configs: StaticConfig[];
    metric_relabel_configs?: Array<{ source_labels: string[]; regex: string; action: 'keep' }>;
  }>;
}

/**
 * Two jobs per cluster, one target per node, each labelled with its node and cluster:
 *  - `<cluster>`: GET /metrics, the aggregated endpoint: constant size whatever the number of
 *    queues and connections (rabbitmq.com/docs/prometheus#metric-aggregation). Node health,
 *    alarms, file descriptors and the global counters the rules read are all there.
 *  - `<cluster>-queues`: GET /metrics/detailed with only the families wanted
 *    (rabbitmq.com/docs/prometheus#detailed-endpoint: "up to 60 times more efficient" than
 *    /metrics/per-object): queue_coarse_metrics (depth per queue) and, on 4.0+, ra_metrics (the
 *    quorum rule counts members with it). metric_relabel keeps only the series used, since 4.2's
 *    ra_metrics carries every Ra counter of every member.
 * The same intervals for scraping and rule evaluation: an alert's `for` then counts samples.
 */
export function prometheusConfig(model: ClusterModel): PrometheusConfig {
  const m = model.monitoring!;
  const jobs = prometheusJobs(model);
  const addressOf = new Map(model.hosts.map((h) => [h.name, h.address]));
  const targets: StaticConfig[] = model.nodes.map((node) => ({
    // one machine: the node's fixed address on the cluster network; several: its machine's
    // address, where its compose file publishes the metrics port
    targets: [`${model.multiHost ? addressOf.get(node.host) : node.address}:${RABBITMQ_METRICS_PORT}`],
    labels: { cluster: model.name, node: node.name },
  }));
  const raftTerm = raftTermMetric(model.rabbitmq.version);
  const kept = [...QUEUE_DEPTH_METRICS, ...(raftTerm ? [raftTerm] : [])];
  return {
    global: {
      scrape_interval: m.scrapeInterval,
      scrape_timeout: m.scrapeIntervalSeconds < DEFAULT_TIMEOUT_SECONDS ? m.scrapeInterval : `${DEFAULT_TIMEOUT_SECONDS}s`,
      evaluation_interval: m.scrapeInterval,
    },
    rule_files: [PROMETHEUS_FILES.rules.fromConfig],
    scrape_configs: [
      { job_name: jobs.nodes, metrics_path: '/metrics', static_configs: targets },
      {
        job_name: jobs.queues,
        metrics_path: '/metrics/detailed',
        params: { family: ['queue_coarse_metrics', ...(raftTerm ? ['ra_metrics'] : [])] },
        static_configs: targets,
        metric_relabel_configs: [{ source_labels: ['__name__'], regex: `(${kept.join('|')})`, action: 'keep' }],
      },
    ],
  };
}
