import type { ClusterServices } from '../ops-tools.js';
import { containerOf, type ClusterObservation } from '../rabbit/observe-cluster.js';
import { partitionLines } from '../rabbit/parse-cluster-status.js';
import { queueSummary, type NodeStatus, type StatusData } from './status-view.js';

type Facts = Pick<StatusData, 'nodes' | 'partitions' | 'queues' | 'version'>;

/**
 * Node facts from rabbitmqctl: cluster_status of one running node, plus each running container
 * that node does not list as running (unclustered or app stopped) asked on its own.
 */
export async function nodesFromCtl(s: ClusterServices, o: ClusterObservation): Promise<Facts> {
  const { manifest } = s.cluster;
  const nodes: NodeStatus[] = [];
  for (const node of manifest.nodes) {
    const container = containerOf(o.containers, node)?.state ?? 'missing';
    const st = o.status;
    let running = !!st && o.containerUp.has(node.name) && st.runningNodes.includes(node.erlangNode);
    let view = st;
    if (!running && o.containerUp.has(node.name) && o.asked?.name !== node.name) {
      // not in the asked node's cluster: ask the node itself whether its app runs
      view = await s.ctl.clusterStatus(node).catch(() => undefined);
      running = !!view?.runningNodes.includes(node.erlangNode);
    }
    const type = view?.discNodes.includes(node.erlangNode) ? 'disc' : view?.ramNodes.includes(node.erlangNode) ? 'ram' : node.type;
    const version = view?.versions[node.erlangNode];
    const maintenance = view?.maintenance[node.erlangNode];
    nodes.push({
      name: node.name,
      running,
      type,
      ...(version ? { version } : {}),
      alarms: view?.alarms[node.erlangNode] ?? [],
      ...(maintenance !== undefined ? { maintenance } : {}),
      container,
      clustered: running && view === st,
    });
  }
  if (!o.status || !o.asked) return { nodes, partitions: [] };
  const major = manifest.rabbitmq.major;
  const queues = await s.ctl.listQueues(o.asked, major).catch(() => undefined);
  const version = o.status.versions[o.asked.erlangNode];
  return {
    nodes,
    partitions: partitionLines(o.status),
    ...(version ? { version } : {}),
    ...(queues
      ? {
          queues: queueSummary(
            queues,
            major,
            manifest.nodes.filter((n) => nodes.find((x) => x.name === n.name)?.running),
          ),
        }
      : {}),
  };
}
