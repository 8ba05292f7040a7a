import { PROMETHEUS_PLUGIN, PROMETHEUS_SERVICE } from '../normalize-monitoring.js';
import { atLeast } from '../version.js';
import type { Rule } from './rule.js';

/** With hosts:, Prometheus needs a machine: the one marked monitoring: true, or a load-balancer host. */
export const monitoringHasAHost: Rule = (model, findings) => {
  if (model.monitoring && model.monitoring.host === undefined) {
    findings.error(
      'monitoring.prometheus',
      'no host to run Prometheus on: it runs on the host marked monitoring: true, else on the first load-balancer host, and this spec has neither; add monitoring: true to one entry under hosts: (a machine of its own, or one that runs a node)',
    );
  }
};

export const oneMonitoringHost: Rule = (model, findings) => {
  if (!model.multiHost) return;
  const marked = model.hosts.filter((h) => h.monitoring);
  for (const host of marked.slice(1)) {
    findings.error(
      `${host.path}.monitoring`,
      `Prometheus runs on one host, and "${marked[0]!.name}" (${marked[0]!.path}) already has monitoring: true; remove it here`,
    );
  }
};

export const monitoringFlagWithoutPrometheus: Rule = (model, findings) => {
  if (!model.multiHost || model.monitoring) return;
  for (const host of model.hosts.filter((h) => h.monitoring)) {
    findings.warn(`${host.path}.monitoring`, 'does nothing without monitoring: { prometheus: true } at the top of the spec');
  }
};

/**
 * The rules rate() over 5-minute windows, which needs a few samples in each, and RabbitMQ
 * refreshes most metrics every 5 s (collect_statistics_interval; rabbitmq.com/docs/prometheus
 * recommends scraping every 15 s or slower in production). Below 1 s is a typo.
 */
export const scrapeIntervalInRange: Rule = (model, findings) => {
  const m = model.monitoring;
  if (!m) return;
  if (m.scrapeIntervalSeconds < 1 || m.scrapeIntervalSeconds > 60) {
    findings.error(
      `${m.path}.scrapeInterval`,
      `${m.scrapeInterval} is outside 1s–1m: the alert rules look at 5-minute windows, which need several samples each; 15s (the default) suits production`,
    );
  }
};

/**
 * rabbitmq_prometheus ships with RabbitMQ since 3.8.0 (rabbitmq.com/docs/prometheus), but what the
 * rules read came later (its collectors and dispatcher at each tag): the alarm gauges with 3.8.25
 * and 3.9.4, the global unroutable counters with 3.9.0, /metrics/detailed with 3.9.7.
 */
export const prometheusPluginExists: Rule = (model, findings) => {
  const { version, image } = model.rabbitmq;
  if (!model.monitoring || !version.known) return;
  if (!atLeast(version, 3, 8)) {
    findings.error(
      'monitoring.prometheus',
      `the ${PROMETHEUS_PLUGIN} plugin came with RabbitMQ 3.8.0 and ${image} is ${version.text}; use a 3.8 or later image to monitor it with Prometheus`,
    );
  } else if (!atLeast(version, 3, 10)) {
    findings.warn(
      'monitoring.prometheus',
      `RabbitMQ ${version.text} lacks metrics some rules read (the alarm gauges before 3.8.25 and 3.9.4, the unroutable counters on 3.8, per-queue metrics before 3.9.7): those rules stay silent there; 3.10 or later has them all`,
    );
  }
};

/** Prometheus is the `prometheus` service of its machine's compose file: a node there cannot be. */
export const prometheusServiceNameFree: Rule = (model, findings) => {
  const host = model.monitoring?.host;
  for (const node of model.nodes.filter((n) => n.name === PROMETHEUS_SERVICE && n.host === host)) {
    findings.error(
      `${node.path}.name`,
      `"${node.name}" is the name of the Prometheus service on ${model.multiHost ? `host "${node.host}"` : 'this machine'}; rename the node`,
    );
  }
};
