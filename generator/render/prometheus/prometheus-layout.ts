import type { ClusterModel } from '../../spec/model.js';

/**
 * Names the Prometheus files, service and scrape jobs share: the compose renderer, the config
 * renderer, the manifest and the README all take them from here.
 */
export { PROMETHEUS_SERVICE } from '../../spec/normalize-monitoring.js';
export const PROMETHEUS_VOLUME = 'prometheus-data';
/** Where the image keeps its data (prom/prometheus declares this volume). */
export const PROMETHEUS_DATA_DIR = '/prometheus';

/** Generated files (relative to the machine's folder) and where the container sees them. */
export const PROMETHEUS_FILES = {
  config: { path: 'prometheus/prometheus.yml', target: '/etc/prometheus/prometheus.yml' },
  // the config names it relative to its own folder, as Prometheus resolves rule_files
  rules: { path: 'prometheus/alerts.yml', target: '/etc/prometheus/alerts.yml', fromConfig: 'alerts.yml' },
} as const;

/** The scrape jobs: the cluster's aggregated /metrics, and its per-queue /metrics/detailed. */
export function prometheusJobs(model: ClusterModel): { nodes: string; queues: string } {
  return { nodes: model.name, queues: `${model.name}-queues` };
}
