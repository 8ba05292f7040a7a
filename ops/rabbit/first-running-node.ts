import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { observeCluster, runningNodes } from './observe-cluster.js';

type Node = ClusterManifest['nodes'][number];

/** A node whose app runs, for cluster-wide commands (policies, sync_queue, forget). */
export async function firstRunningNode(s: ClusterServices): Promise<Node> {
  const [node] = runningNodes(await observeCluster(s), s.cluster.manifest.nodes);
  if (!node) throw new RefusedError(`no RabbitMQ node of ${s.cluster.manifest.name} is running; start the cluster first (rmq-compose deploy)`);
  return node;
}
