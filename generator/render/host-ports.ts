import { CONTAINER_PORTS, DISTRIBUTION_PORTS, PROMETHEUS_CONTAINER_PORT, RABBITMQ_METRICS_PORT, type NodePortName } from '../../contract/ports.js';
import type { ClusterModel, NodeModel } from '../spec/model.js';
import { PROMETHEUS_SERVICE } from '../spec/normalize-monitoring.js';
import { lbServiceNames } from './manifest.js';

/** Where a single machine publishes its nodes' own ports unless the spec opens them. */
const LOOPBACK = '127.0.0.1';

/** One port a machine gives a service: a compose `ports:` entry, or a listener on the machine's own network. */
export interface HostPort {
  /** The machine (HostModel.name). */
  host: string;
  /** The compose service that publishes it (or listens on the machine's network). */
  service: string;
  /** The address it is bound to; undefined: every interface (0.0.0.0). */
  address: string | undefined;
  port: number;
  /** The port inside the container; undefined for a service on the machine's network (it listens there itself, no `ports:`). */
  containerPort: number | undefined;
  /** Where the spec sets it; for a port the spec cannot move, the part of the spec that brings it. */
  path: string;
  /** What it is, for a person: "rabbit1 amqp", "the load balancer's amqp listener". */
  what: string;
  /** Who asks for it: a clash is reported at the one easier to move (see ports.ts). */
  kind: 'fixed' | 'listener' | 'prometheus' | 'node';
}

/**
 * Every host port of every machine, from the model: the compose renderer writes its `ports:` from
 * this list (composePorts), the default node ports step around it (normalize-nodes.ts) and the
 * port rule refuses a clash in it (rules/ports.ts), so what validates is what deploys.
 */
export function hostPorts(model: ClusterModel): HostPort[] {
  return [...listenerPorts(model), ...prometheusPorts(model), ...model.nodes.flatMap((node) => nodePorts(model, node))];
}

/** A service's compose `ports:` entries, `[<address>:]<host>:<container>`. */
export function composePorts(model: ClusterModel, host: string, service: string): string[] {
  return hostPorts(model)
    .filter((p) => p.host === host && p.service === service && p.containerPort !== undefined)
    .map((p) => `${p.address === undefined ? '' : `${p.address}:`}${p.port}:${p.containerPort}`);
}

/**
 * Across machines each node port is bound to the machine's own address: epmd and the Erlang
 * distribution port let whoever reaches them with the cookie run code on the node, so they must
 * not also listen on every other interface (a public one, a VPN, docker0). On one machine they
 * are bound to 127.0.0.1 (a management UI or a node's AMQP port is for this machine's operator
 * and ops; clients come through the load balancer), unless `network.openNodePorts` says every
 * interface.
 */
function nodePorts(model: ClusterModel, node: NodeModel): HostPort[] {
  const address = model.multiHost ? model.hosts.find((h) => h.name === node.host)?.address : model.network.openNodePorts ? undefined : LOOPBACK;
  const at = { host: node.host, service: node.name, address };
  const ports: HostPort[] = Object.entries(node.ports).map(([protocol, port]) => ({
    ...at,
    port,
    containerPort: CONTAINER_PORTS[protocol as NodePortName],
    path: `${node.path}.ports.${protocol}`,
    what: `${node.name} ${protocol}`,
    kind: 'node',
  }));
  if (!model.multiHost) return ports;
  // Erlang distribution, published when nodes span machines
  for (const { port, what } of DISTRIBUTION_PORTS)
    ports.push({ ...at, port, containerPort: port, path: node.path, what: `${node.name} ${what}`, kind: 'fixed' });
  // Prometheus runs on another machine (or reaches this one through its address)
  if (model.monitoring) {
    ports.push({
      ...at,
      port: RABBITMQ_METRICS_PORT,
      containerPort: RABBITMQ_METRICS_PORT,
      path: node.path,
      what: `${node.name} metrics (rabbitmq_prometheus)`,
      kind: 'fixed',
    });
  }
  return ports;
}

/**
 * The listeners, on every interface of each machine that runs a load balancer: nginx publishes
 * them itself without keepalived; across machines nginx is on the machine's network and listens
 * there; on one machine with a VIP the container holding the namespace publishes them, and only
 * the first instance's can (two containers cannot bind one host port; the VIP, on the cluster
 * network, reaches the others from this machine).
 */
function listenerPorts(model: ClusterModel): HostPort[] {
  const lb = model.loadBalancer;
  if (!lb) return [];
  return lb.instances.flatMap((instance) => {
    const names = lbServiceNames(model, instance.name);
    const publisher = !names.keepalived || lb.networkMode === 'host' ? names.nginx : instance.name === lb.instances[0]!.name ? names.netns! : undefined;
    if (publisher === undefined) return [];
    const onMachineNetwork = names.keepalived !== undefined && lb.networkMode === 'host';
    return lb.listeners.map((listener): HostPort => {
      const written = listener.path !== 'loadBalancer';
      return {
        host: instance.host,
        service: publisher,
        address: undefined,
        port: listener.port,
        containerPort: onMachineNetwork ? undefined : listener.port,
        // default listeners: the user moves them by writing loadBalancer.listeners
        path: written ? `${listener.path}.port` : 'loadBalancer.listeners',
        what: `the load balancer's ${written ? '' : 'default '}${listener.protocol} listener`,
        kind: 'listener',
      };
    });
  });
}

/** Prometheus' UI and API, on 127.0.0.1 on one machine, on its machine's address across machines. */
function prometheusPorts(model: ClusterModel): HostPort[] {
  const m = model.monitoring;
  if (!m || m.host === undefined) return [];
  return [
    {
      host: m.host,
      service: PROMETHEUS_SERVICE,
      address: m.publishAddress,
      port: m.port,
      containerPort: PROMETHEUS_CONTAINER_PORT,
      path: `${m.path}.port`,
      what: 'Prometheus',
      kind: 'prometheus',
    },
  ];
}
