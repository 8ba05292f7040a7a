import type { ClusterManifest } from '../../generator/render/manifest.js';
import { RefusedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { observeCluster, runningNodes } from './observe-cluster.js';

type Node = ClusterManifest['nodes'][number];

/** A node whose app runs, for cluster-wide commands (policies, sync_queue, forget). */
export async function firstRunningNode(s: ClusterServices, except?: Node): Promise<Node> {
  const o = await observeCluster(s, undefined);
  const node = runningNodes(o, s.cluster.manifest.nodes).find((n) => n.name !== except?.name);
  if (!node) throw new RefusedError(`no${except ? ` other` : ''} RabbitMQ node of ${s.cluster.manifest.name} is running; start the cluster first (rmq-compose deploy)`);
  return node;
}
