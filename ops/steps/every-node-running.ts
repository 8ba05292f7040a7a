import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { isNodeRunning, observeCluster, type ClusterObservation } from '../rabbit/observe-cluster.js';

type Node = ClusterManifest['nodes'][number];

/**
 * The pre-check every node-by-node action starts with (upgrade, rotate-certs, migrate): every
 * node of the manifest running in the cluster, as RabbitMQ says (cluster_status), not only as
 * Docker does. Refused with `doing` ("not upgrading") and `why` it matters; the observation is
 * returned for the checks that follow (alarms, maintenance).
 */
export async function expectEveryNodeRunning(
  s: ClusterServices,
  nodes: readonly Node[],
  doing: string,
  why: string,
): Promise<ClusterObservation & { status: NonNullable<ClusterObservation['status']> }> {
  const o = await observeCluster(s);
  const down = nodes.filter((n) => !isNodeRunning(o, n)).map((n) => n.name);
  if (!o.status || down.length > 0)
    throw new RefusedError(
      `${doing}: ${down.join(', ') || 'no node'} ${down.length === 1 ? 'is' : 'are'} not running in the cluster; ${why} (rmq-compose status says why)`,
    );
  return o as ClusterObservation & { status: NonNullable<ClusterObservation['status']> };
}
