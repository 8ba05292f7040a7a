import { CONTAINER_PORTS } from '../../contract/ports.js';
import type { Findings } from '../../lib/findings.js';
import { hostPorts } from '../render/host-ports.js';
import type { ClusterModel, HostModel, NodeMemoryModel, NodeModel, NodePortName } from './model.js';
import { memoryBytes } from './memory-size.js';
import type { ParsedSpec } from './schema.js';

// the first node publishes each protocol on its standard port (the one inside the container)
const STANDARD_PORTS = CONTAINER_PORTS;

/** Expands `nodes: 3` / `[rabbit1, …]` / node objects into one shape. */
export function expandNodes(spec: ParsedSpec): Array<
  Omit<NodeModel, 'host' | 'address' | 'ports' | 'memory'> & {
    explicitPorts: Partial<Record<NodePortName, number>>;
    memory: string | undefined;
    memoryPath: string | undefined;
  }
> {
  const entries = typeof spec.nodes === 'number' ? Array.from({ length: spec.nodes }, (_, i) => `rabbit${i + 1}`) : spec.nodes;
  return entries.map((entry, index) => {
    const node = typeof entry === 'string' ? { name: entry, type: 'disc' as const, ports: undefined, resources: undefined } : entry;
    const own = node.resources?.memory;
    return {
      name: node.name,
      erlangNode: `rabbit@${node.name}`,
      index,
      path: typeof spec.nodes === 'number' ? 'nodes' : `nodes[${index}]`,
      type: node.type,
      explicitPorts: { ...(node.ports ?? {}) },
      memory: own ?? spec.resources.memory,
      memoryPath: own !== undefined ? `nodes[${index}].resources.memory` : spec.resources.memory !== undefined ? 'resources.memory' : undefined,
    };
  });
}

/** A node's memory limit and alarm (NodeMemoryModel), from its limit and how many nodes share its machine. */
export function nodeMemory(memory: string | undefined, path: string | undefined, nodesOnHost: number, watermark: number): NodeMemoryModel {
  if (memory === undefined) {
    // three decimals: 0.6 / 7 needs more than two, and 0.6 / 3 reads better as 0.2 than 0.19999…
    return { limitBytes: undefined, path, nodesOnHost, watermark: { kind: 'relative', fraction: Math.round((watermark / nodesOnHost) * 1000) / 1000 } };
  }
  const limitBytes = memoryBytes(memory);
  return { limitBytes, path, nodesOnHost, watermark: { kind: 'absolute', bytes: Math.floor(limitBytes * watermark) } };
}

/** Hosts as written, or the one implicit host of a single-machine layout. */
export function expandHosts(spec: ParsedSpec, nodeNames: string[]): HostModel[] {
  if (!spec.hosts) {
    return [
      {
        name: 'local',
        path: '',
        address: undefined,
        nodes: nodeNames,
        loadBalancer: spec.loadBalancer.enabled,
        docker: undefined,
        monitoring: spec.monitoring?.prometheus ?? false,
      },
    ];
  }
  return spec.hosts.map((host, index) => ({
    name: host.name,
    path: `hosts[${index}]`,
    address: host.address,
    nodes: host.nodes,
    loadBalancer: host.loadBalancer,
    docker: host.docker,
    monitoring: host.monitoring,
  }));
}

/** Which host runs each node; reports nodes placed twice or nowhere. */
export function placeNodes(hosts: HostModel[], nodeNames: string[], findings: Findings): Map<string, string> {
  const placement = new Map<string, string>();
  hosts.forEach((host) => {
    host.nodes.forEach((nodeName, i) => {
      const path = `${host.path}.nodes[${i}]`;
      if (!nodeNames.includes(nodeName)) {
        findings.error(path, `"${nodeName}" is not a node of this cluster; list it under nodes: or remove it here (nodes: ${nodeNames.join(', ')})`);
      } else if (placement.has(nodeName)) {
        findings.error(path, `node "${nodeName}" is already placed on host "${placement.get(nodeName)}"; a node runs on exactly one host`);
      } else {
        placement.set(nodeName, host.name);
      }
    });
  });
  nodeNames.forEach((name, i) => {
    if (!placement.has(name)) findings.error(`nodes[${i}]`, `node "${name}" runs on no host; add it to the nodes: list of one entry under hosts:`);
  });
  return placement;
}

/**
 * On one machine the nodes' ports count up from the standard ones (5672, 5673, ...), so the TLS
 * ports cannot: 5671 + 1 is 5672. They count up from their own base instead, 1000 above.
 */
const SINGLE_HOST_PORTS: Partial<Record<NodePortName, number>> = { amqps: 6671, https: 16671, mqtts: 9883 };

/**
 * Where a node's default host ports start: on one machine they count up from the standard ports
 * (one above them when nginx publishes the listeners itself, as it always has); with one node per
 * machine every node starts at the standard ports. settleDefaultPorts then moves each one past
 * whatever else its machine publishes, which is what moves them off a keepalived load balancer's
 * listeners (5672 → 5673) while every spec that did not clash keeps the ports it had.
 */
export function defaultPorts(
  multiHost: boolean,
  indexOnHost: number,
  lbOnSameHost: boolean,
  listenerProtocols: NodePortName[],
  base: NodePortName[] = ['amqp', 'management'],
): Partial<Record<NodePortName, number>> {
  const ports: Partial<Record<NodePortName, number>> = {};
  if (multiHost) {
    for (const protocol of [...base, ...listenerProtocols]) ports[protocol] = STANDARD_PORTS[protocol];
    return ports;
  }
  const offset = indexOnHost + (lbOnSameHost ? 1 : 0);
  for (const protocol of base) ports[protocol] = (SINGLE_HOST_PORTS[protocol] ?? STANDARD_PORTS[protocol]) + offset;
  return ports;
}

/**
 * Gives each node, in order, the default ports the spec leaves to the generator: from where
 * defaultPorts() starts them, each moves up past every port its machine already publishes (a
 * listener, Prometheus, a port the spec sets, an earlier node's default), read from the same list
 * the compose files are written from. So a spec that sets no port never clashes with itself.
 */
export function settleDefaultPorts(model: ClusterModel, wanted: ReadonlyArray<Partial<Record<NodePortName, number>>>): void {
  for (const node of model.nodes) {
    const taken = new Set(
      hostPorts(model)
        .filter((p) => p.host === node.host)
        .map((p) => p.port),
    );
    const settled: Partial<Record<NodePortName, number>> = {};
    for (const [protocol, start] of Object.entries(wanted[node.index] ?? {}) as Array<[NodePortName, number]>) {
      if (node.ports[protocol] !== undefined) continue;
      let port = start;
      while (taken.has(port)) port += 1;
      taken.add(port);
      settled[protocol] = port;
    }
    // the defaults' order first (the order compose lists them in), then ports only the spec names
    node.ports = { ...wanted[node.index], ...settled, ...node.ports };
  }
}
