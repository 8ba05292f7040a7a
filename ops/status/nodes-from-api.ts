import type { ClusterServices } from '../ops-tools.js';
import type { ApiNode } from '../rabbit/management-api.js';
import { containerOf, type ClusterObservation } from '../rabbit/observe-cluster.js';
import { nodesAcceptingClients } from './client-listener-probe.js';
import { queueSummary, type NodeStatus, type StatusData } from './status-view.js';

type Facts = Pick<StatusData, 'nodes' | 'partitions' | 'queues' | 'version'>;

/**
 * Node facts from the management API (one HTTP round trip per list instead of docker execs).
 * Maintenance mode is in /api/nodes only from 3.13 (`being_drained`); older nodes (3.10 on the
 * seed) leave it out, and then the nodes' client listeners (or one `rabbitmqctl cluster_status`)
 * fill it in, because a drained node shown as plainly "up" would hide exactly what an operator
 * needs to see.
 */
export async function nodesFromApi(s: ClusterServices, o: ClusterObservation, base: string, version: string | undefined): Promise<Facts> {
  const { manifest } = s.cluster;
  const [apiNodes, apiQueues] = await Promise.all([s.api.nodes(base), s.api.queues(base)]);
  const find = (erlangNode: string) => apiNodes.find((n) => n.name === erlangNode);
  const isUp = (node: (typeof manifest.nodes)[number]) => !!find(node.erlangNode)?.running && o.containerUp.has(node.name);
  const maintenance = await maintenanceOf(s, apiNodes, manifest.nodes.filter(isUp));
  const nodes: NodeStatus[] = manifest.nodes.map((node) => {
    const a = find(node.erlangNode);
    const running = isUp(node);
    const alarms = [...(a?.mem_alarm ? ['memory'] : []), ...(a?.disk_free_alarm ? ['disk'] : [])];
    const nodeVersion = a?.applications?.find((app) => app.name === 'rabbit')?.version ?? (running ? version : undefined);
    const m = maintenance[node.erlangNode];
    return {
      name: node.name,
      running,
      type: a?.type ?? node.type,
      ...(nodeVersion ? { version: nodeVersion } : {}),
      alarms,
      ...(m !== undefined ? { maintenance: m } : {}),
      container: containerOf(o.containers, node)?.state ?? 'missing',
      clustered: !!a && running,
    };
  });
  const partitions = apiNodes.filter((n) => n.partitions.length > 0).map((n) => `${n.name} cannot reach ${n.partitions.join(', ')}`);
  const major = manifest.rabbitmq.major;
  // A replica on a node that is down is not online, whatever the API says: on 4.3 /api/queues
  // still listed a stopped node's member as online (its last metrics), while rabbitmqctl did not.
  const up = new Set(nodes.filter((n) => n.running).map((n) => manifest.nodes.find((m) => m.name === n.name)!.erlangNode));
  const known = new Set(manifest.nodes.map((m) => m.erlangNode));
  const onUpNodes = (list: readonly string[]) => list.filter((erlangNode) => up.has(erlangNode) || !known.has(erlangNode));
  const queues = apiQueues.map((q) => ({
    name: q.name,
    type: q.type,
    policy: q.policy ?? undefined,
    replicas: major >= 4 ? q.members : q.slave_nodes,
    inSync: onUpNodes(major >= 4 ? q.online : q.synchronised_slave_nodes),
    ...(q.leader ? { leader: q.leader } : {}),
  }));
  return {
    nodes,
    partitions,
    ...(version ? { version } : {}),
    queues: queueSummary(
      queues,
      major,
      manifest.nodes.filter((n) => up.has(n.erlangNode)),
    ),
  };
}

/**
 * Erlang node → under maintenance: from the API when every running node says; else a node whose
 * client listener accepts is not drained, and only when some node is left does one
 * `rabbitmqctl cluster_status` (about half a second of Erlang VM start) decide.
 */
async function maintenanceOf(
  s: ClusterServices,
  apiNodes: readonly ApiNode[],
  up: ReadonlyArray<ClusterServices['cluster']['manifest']['nodes'][number]>,
): Promise<Record<string, boolean | undefined>> {
  const fromApi: Record<string, boolean | undefined> = Object.fromEntries(
    apiNodes.filter((n) => n.being_drained !== undefined).map((n) => [n.name, n.being_drained]),
  );
  const unknown = up.filter((n) => fromApi[n.erlangNode] === undefined);
  if (unknown.length === 0) return fromApi;
  const accepting = await nodesAcceptingClients(s, unknown);
  if (unknown.every((n) => accepting.has(n.erlangNode))) return { ...fromApi, ...Object.fromEntries([...accepting].map((n) => [n, false])) };
  for (const node of up) {
    const st = await s.ctl.clusterStatus(node).catch(() => undefined);
    if (st) return { ...st.maintenance, ...fromApi };
  }
  return fromApi;
}
