import { z } from 'zod';
import { extractJson } from './json-output.js';

/**
 * `rabbitmqctl cluster_status --formatter json`, 3.8+ through 4.x (fixtures: 3.10, 4.0). The
 * fields we use are the same in both; 4.x adds cluster_tags and cpu_cores, which we ignore.
 */
const ClusterStatusJson = z.object({
  cluster_name: z.string().optional(),
  disk_nodes: z.array(z.string()).default([]),
  ram_nodes: z.array(z.string()).default([]),
  running_nodes: z.array(z.string()).default([]),
  // {type: resource_limit, resource: memory|disk|file_descriptors, node}
  alarms: z.array(z.object({ node: z.string(), resource: z.string() })).default([]),
  // node → peers it cannot reach; an empty Erlang map prints as {} (accept [] too)
  partitions: z.union([z.record(z.string(), z.array(z.string())), z.array(z.never()).transform(() => ({}))]).default({}),
  // "not under maintenance" | "marked for maintenance" | "unknown"
  maintenance_status: z.record(z.string(), z.string()).default({}),
  versions: z.record(z.string(), z.object({ rabbitmq_version: z.string() })).default({}),
});

export interface ClusterStatus {
  clusterName: string | undefined;
  discNodes: string[];
  ramNodes: string[];
  runningNodes: string[];
  /** Erlang node → alarmed resources ("memory", "disk", "file_descriptors"). */
  alarms: Record<string, string[]>;
  /** Erlang node → peers it cannot reach. */
  partitions: Record<string, string[]>;
  /** Erlang node → under maintenance (undefined when the node could not say). */
  maintenance: Record<string, boolean | undefined>;
  /** Erlang node → RabbitMQ version. */
  versions: Record<string, string>;
}

export function parseClusterStatus(stdout: string): ClusterStatus {
  const raw = ClusterStatusJson.parse(extractJson(stdout));
  const alarms: Record<string, string[]> = {};
  for (const a of raw.alarms) (alarms[a.node] ??= []).push(a.resource);
  const maintenance: Record<string, boolean | undefined> = {};
  for (const [node, text] of Object.entries(raw.maintenance_status)) maintenance[node] = maintenanceOf(text);
  return {
    clusterName: raw.cluster_name,
    discNodes: raw.disk_nodes,
    ramNodes: raw.ram_nodes,
    runningNodes: raw.running_nodes,
    alarms,
    partitions: raw.partitions,
    maintenance,
    versions: Object.fromEntries(Object.entries(raw.versions).map(([n, v]) => [n, v.rabbitmq_version])),
  };
}

/**
 * "not under maintenance" / "marked for maintenance" / "unknown". 3.10 colours the second with an
 * ANSI escape even in JSON, and mangles the ESC into "\uB100" on the way ("\uB100[35mmarked for
 * maintenance\uB100[0m"), so escapes of either kind are dropped and the words compared.
 */
export function maintenanceOf(text: string): boolean | undefined {
  // eslint-disable-next-line no-control-regex -- matching control characters is what this line is for
  const escapes = /[\u001b\ub100]\[[0-9;]*m/g;
  const plain = text.replace(escapes, '').trim().toLowerCase();
  if (plain === 'not under maintenance') return false;
  if (plain.includes('maintenance')) return true;
  return undefined;
}

/** Nodes that see a partition, and the peers each cannot reach (empty when healthy). */
export function partitionLines(status: Pick<ClusterStatus, 'partitions'>): string[] {
  return Object.entries(status.partitions)
    .filter(([, peers]) => peers.length > 0)
    .map(([node, peers]) => `${node} cannot reach ${peers.join(', ')}`);
}
