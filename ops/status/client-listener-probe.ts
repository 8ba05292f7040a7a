import { CONTAINER_PORTS } from '../../contract/ports.js';
import type { ClusterServices } from '../ops-tools.js';

type Node = ClusterServices['cluster']['manifest']['nodes'][number];

const PROBE_MS = 500;

/**
 * Maintenance mode suspends a node's client listeners (ranch closes the listening socket), so a
 * running node whose AMQP port on its own container address accepts a connection is not drained.
 * Only the container address tells: a published port answers through docker-proxy even when the
 * node behind it refuses. Returns the nodes proven not drained; the caller asks rabbitmqctl about
 * the rest (a refused or unreachable port is not proof of maintenance either).
 */
export async function nodesAcceptingClients(s: ClusterServices, nodes: readonly Node[]): Promise<Set<string>> {
  const { manifest } = s.cluster;
  const local = manifest.hosts.length === 1 && !manifest.hosts[0]!.docker;
  const accepting = await Promise.all(nodes.map(async (node) => (local && node.address ? s.tools.probe(node.address, CONTAINER_PORTS.amqp, PROBE_MS) : false)));
  return new Set(nodes.filter((_, i) => accepting[i]).map((n) => n.erlangNode));
}
