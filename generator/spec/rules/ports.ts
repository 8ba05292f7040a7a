import { RABBITMQ_METRICS_PORT } from '../../../contract/ports.js';
import type { ClusterModel } from '../model.js';
import type { Rule } from './rule.js';

/** Erlang distribution: epmd and the inter-node port, published when nodes span machines. */
const DISTRIBUTION_PORTS = [4369, 25672];

interface PortUse {
  port: number;
  path: string;
  what: string;
}

/** Every port a host publishes or binds, with where in the spec it comes from. */
function portsByHost(model: ClusterModel): Map<string, PortUse[]> {
  const byHost = new Map<string, PortUse[]>(model.hosts.map((h) => [h.name, []]));
  for (const node of model.nodes) {
    const uses = byHost.get(node.host) ?? [];
    for (const [protocol, port] of Object.entries(node.ports)) {
      uses.push({ port, path: `${node.path}.ports.${protocol}`, what: `${node.name} ${protocol}` });
    }
    if (model.multiHost) {
      for (const port of DISTRIBUTION_PORTS) uses.push({ port, path: node.path, what: `${node.name} Erlang distribution` });
      // Prometheus on another machine scrapes it there; on one machine it stays on the Docker network
      if (model.monitoring) uses.push({ port: RABBITMQ_METRICS_PORT, path: node.path, what: `${node.name} metrics (rabbitmq_prometheus)` });
    }
    byHost.set(node.host, uses);
  }
  const lb = model.loadBalancer;
  // On the cluster network with keepalived the LB is reached at the VIP and publishes nothing.
  const lbPublishes = lb && (lb.networkMode === 'host' || !lb.keepalived);
  if (lb && lbPublishes) {
    for (const instance of lb.instances) {
      const uses = byHost.get(instance.host) ?? [];
      for (const listener of lb.listeners) {
        uses.push({ port: listener.port, path: `${listener.path}.port`, what: `load balancer ${listener.protocol} listener` });
      }
      byHost.set(instance.host, uses);
    }
  }
  const m = model.monitoring;
  if (m?.host !== undefined) byHost.get(m.host)?.push({ port: m.port, path: `${m.path}.port`, what: 'Prometheus' });
  return byHost;
}

export const portsUniquePerHost: Rule = (model, findings) => {
  for (const [host, uses] of portsByHost(model)) {
    const seen = new Map<number, PortUse>();
    for (const use of uses) {
      const first = seen.get(use.port);
      if (!first) {
        seen.set(use.port, use);
        continue;
      }
      const where = model.multiHost ? ` on host "${host}"` : '';
      findings.error(use.path, `port ${use.port} (${use.what}) is already used by ${first.what} (${first.path})${where}; pick another port`);
    }
  }
};

export const listenerPortsUnique: Rule = (model, findings) => {
  const seen = new Map<string, string>();
  for (const listener of model.loadBalancer?.listeners ?? []) {
    const key = `${listener.protocol}`;
    if (seen.has(key)) findings.error(`${listener.path}.protocol`, `a second ${listener.protocol} listener; one listener per protocol (already at ${seen.get(key)})`);
    else seen.set(key, listener.path);
  }
};

/**
 * `network.openNodePorts` widens the single-machine default (127.0.0.1). With `hosts:` each node
 * already publishes on its machine's address, and every interface there would also expose epmd
 * and the distribution port; saying it is a mistake, not a wish to honour silently.
 */
export const openNodePortsOnOneMachine: Rule = (model, findings) => {
  if (!model.multiHost || !model.network.openNodePorts) return;
  findings.error('network.openNodePorts', "with hosts:, each node publishes its ports on its machine's address (hosts[].address), which other machines reach; remove network.openNodePorts");
};
