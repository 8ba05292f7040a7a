import { durationSeconds } from './duration.js';
import { formatIpv4, type Cidr } from './ipv4.js';
import type { HostModel, LoadBalancerModel, MonitoringModel } from './model.js';
import type { ParsedSpec } from './schema.js';

/** The plugin that serves a node's metrics to Prometheus (rabbitmq.com/docs/prometheus). */
export const PROMETHEUS_PLUGIN = 'rabbitmq_prometheus';
/** Compose service name of Prometheus (the renderers take it from here, so the rules can check it). */
export const PROMETHEUS_SERVICE = 'prometheus';

/** Plugins every node needs for the spec's monitoring. */
export function pluginsForMonitoring(spec: ParsedSpec): string[] {
  return spec.monitoring?.prometheus ? [PROMETHEUS_PLUGIN] : [];
}

/**
 * Where Prometheus runs and how it is reached, or undefined without `monitoring.prometheus`.
 *
 * One machine: on the cluster network, at the subnet's last host address (load balancers take
 * .2–.9 and nodes count up from .10, so the far end stays free), its port published on 127.0.0.1
 * only: Prometheus has no login, and its API answers any query about the cluster.
 *
 * Several machines: the host marked `monitoring: true`, else the first load-balancer host. That
 * machine is already in the spec and runs no broker, so Prometheus' memory and disk never count
 * against a node's watermarks, and losing a broker machine does not take the monitoring with it.
 * The port is published on that host's address, like the node ports.
 */
export function normalizeMonitoring(
  spec: ParsedSpec,
  hosts: readonly HostModel[],
  subnet: Cidr | undefined,
  loadBalancer: LoadBalancerModel | undefined,
): MonitoringModel | undefined {
  const m = spec.monitoring;
  if (!m?.prometheus) return undefined;
  const settings = {
    image: m.image,
    port: m.port,
    scrapeInterval: m.scrapeInterval,
    scrapeIntervalSeconds: durationSeconds(m.scrapeInterval),
    retention: m.retention,
    path: 'monitoring',
  };
  if (spec.hosts === undefined) {
    const address = subnet ? formatIpv4(subnet.network + subnet.size - 2) : undefined;
    return { ...settings, host: hosts[0]!.name, placement: 'single-host', address, publishAddress: '127.0.0.1' };
  }
  const marked = hosts.find((h) => h.monitoring);
  const firstLb = loadBalancer?.instances[0]?.host;
  const host = marked ?? hosts.find((h) => h.name === firstLb);
  return {
    ...settings,
    host: host?.name,
    placement: marked ? 'marked' : host ? 'first-load-balancer' : 'none',
    address: undefined,
    publishAddress: host?.address,
  };
}
