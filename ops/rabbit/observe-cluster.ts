import type { ClusterManifest } from '../../contract/manifest.js';
import type { ContainerState } from '../compose/parse-ps.js';
import type { ClusterServices } from '../ops-tools.js';
import type { ClusterStatus } from './parse-cluster-status.js';

type Node = ClusterManifest['nodes'][number];

/** What compose and the nodes say right now; a node that is down is a fact here, not an error. */
export interface ClusterObservation {
  containers: ContainerState[];
  /** Nodes whose container is running. */
  containerUp: Set<string>;
  /** cluster_status as seen by `asked`, the first running node that answered. */
  status: ClusterStatus | undefined;
  asked: Node | undefined;
  /** Why nodes with a running container did not answer (node name → reason). */
  silent: Map<string, string>;
}

/** Containers of the nodes, then cluster_status from the first running node that answers. */
export async function observeCluster(s: ClusterServices, prefer?: Node): Promise<ClusterObservation> {
  return askClusterStatus(s, await s.compose.psReachable(), prefer);
}

/** cluster_status from the first node (preferred one first) whose container runs and answers. */
export async function askClusterStatus(s: ClusterServices, containers: ContainerState[], prefer?: Node): Promise<ClusterObservation> {
  const nodes = s.cluster.manifest.nodes;
  const containerUp = nodesWithRunningContainer(containers, nodes);
  const order = prefer ? [prefer, ...nodes.filter((n) => n.name !== prefer.name)] : nodes;
  const silent = new Map<string, string>();
  for (const node of order) {
    if (!containerUp.has(node.name)) continue;
    try {
      return { containers, containerUp, status: await s.ctl.clusterStatus(node), asked: node, silent };
    } catch (error) {
      silent.set(node.name, error instanceof Error ? error.message.split('\n')[0]! : String(error));
    }
  }
  return { containers, containerUp, status: undefined, asked: undefined, silent };
}

/** Is the RabbitMQ app of `node` running, as far as the observation can tell? */
export function isNodeRunning(o: ClusterObservation, node: Node): boolean {
  if (!o.containerUp.has(node.name)) return false;
  return o.status ? o.status.runningNodes.includes(node.erlangNode) : false;
}

/** Running nodes in manifest order (the first is where cluster-wide commands go). */
export function runningNodes(o: ClusterObservation, nodes: readonly Node[]): Node[] {
  return nodes.filter((n) => isNodeRunning(o, n));
}

/** Names of the nodes whose container runs. */
export function nodesWithRunningContainer(containers: readonly ContainerState[], nodes: readonly Node[]): Set<string> {
  return new Set(nodes.filter((n) => containerOf(containers, n)?.state === 'running').map((n) => n.name));
}

/** The container of a node (service names of nodes are unique, but match the host too). */
export function containerOf(containers: readonly ContainerState[], node: Node): ContainerState | undefined {
  return containers.find((c) => c.service === node.service && (c.host === undefined || c.host === node.host));
}
