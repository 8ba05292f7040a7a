import type { ExpiryState } from '../../contract/tls/index.js';
import type { FlowHistory } from '../metrics/metric-sample.js';
import { unhealthyQueues, type QueueReplication } from '../rabbit/parse-queues.js';
import { countStates, queueStateOf, worstFirst, type QueueStateCounts } from './queue-states.js';

/**
 * `status` data: the one shape `--json` prints and the Slack status renderer
 * (bot/render/status-blocks.ts) reads.
 */
export interface NodeStatus {
  name: string;
  running: boolean;
  type?: 'disc' | 'ram';
  version?: string;
  alarms: string[];
  maintenance?: boolean;
  /** Container state from compose (running, exited, missing…). */
  container: string;
  /** In the same cluster as the node that answered (false: standalone or app stopped). */
  clustered: boolean;
}

export interface ListenerStatus {
  instance: string;
  protocol: string;
  port: number;
  address: string;
  reachable: boolean;
}

/**
 * One certificate as ops found it: what a node or load balancer listener serves, or the cluster
 * CA file. Certificates are public: nothing here is secret.
 */
export interface CertificateFact {
  /** `rabbit1`, `lb:5671` (the VIP or the one instance), `lb1:5671` (one of several), `ca`. */
  subject: string;
  kind: 'node' | 'load-balancer' | 'ca';
  /** Where it was read: `127.0.0.1:5671 (amqps)`, or the CA's file in the cluster folder. */
  source: string;
  /** ISO time the certificate ends (notAfter), once read. */
  notAfter?: string;
  /** Whole days left, negative once expired. */
  daysLeft?: number;
  state?: ExpiryState;
  /** Signed by the cluster CA; absent for the CA itself, or when the CA could not be read. */
  trusted?: boolean;
  /** The certificate carries the names clients use (node: its name and address; LB: the VIP and `tls.names`). */
  nameMatches?: boolean;
  /** Why the names do not match, one sentence each. */
  nameProblems?: string[];
  /** Why no certificate could be read. */
  error?: string;
  /** No connection opened at all (the node or listener is down: node-down and listener say so). */
  unreachable?: boolean;
}

export interface StatusData {
  cluster: string;
  version?: string;
  nodes: NodeStatus[];
  partitions: string[];
  queues?: {
    kind: string;
    total: number;
    /** Queues of each replication state (queue-states.ts), summing to `total`. */
    states: QueueStateCounts;
    /** Every queue with a replica behind, worst first (queue-states.ts `worstFirst`): the human outputs show the first few. */
    unhealthy: string[];
    /** Quorum queues with fewer members online than a majority: they accept no message until one returns. */
    withoutMajority?: string[];
    /**
     * Quorum queue leaders per running node (its short name, 0 included), when the read tells
     * leaders (4.x; not 3.x's table); a node no running node of the manifest names is left out.
     */
    leaders?: Record<string, number>;
  };
  /** vipHolders: every instance with the VIP on an interface (two is a split brain); vipHolder is the first. */
  loadBalancer?: { listeners: ListenerStatus[]; vipHolder?: string | null; vipHolders?: string[] };
  /** Machines whose Docker engine did not answer (dead, cut off, ssh refused): their nodes are shown down. */
  unreachableHosts?: Array<{ host: string; reason: string }>;
  /** The last hour of message rates and queue totals, from the management API's samples (for charts). */
  flow?: FlowHistory;
  /** With `tls` only: the certificate each node and TLS listener serves, and the cluster CA. */
  certificates?: CertificateFact[];
  /** Where the facts came from, and why a fallback was used. */
  source: string;
  healthy: boolean;
}

/**
 * Queue replication for `status`: unsynchronised mirrors on 3.x, offline quorum members on 4.x,
 * and quorum leaders per running node (`running`: the nodes whose app runs, in manifest order).
 */
export function queueSummary(
  queues: readonly QueueReplication[],
  major: number,
  running: ReadonlyArray<{ name: string; erlangNode: string }> = [],
): NonNullable<StatusData['queues']> {
  const behind = worstFirst(queues);
  const withoutMajority = behind
    .filter((q) => queueStateOf(q) === 'no-majority')
    .map((q) => `${q.name} (${q.inSync.length}/${q.replicas.length} members online)`);
  const leaders = leadersPerNode(queues, running);
  return {
    kind: major >= 4 ? 'quorum' : 'classic mirrored',
    total: queues.length,
    states: countStates(queues),
    unhealthy: unhealthyQueues(behind, major),
    ...(withoutMajority.length ? { withoutMajority } : {}),
    ...(leaders ? { leaders } : {}),
  };
}

/**
 * Quorum queues led by each running node (short name → count, every running node listed), or
 * undefined when no quorum queue says its leader (3.x's table read, or no quorum queue at all).
 */
export function leadersPerNode(
  queues: readonly QueueReplication[],
  running: ReadonlyArray<{ name: string; erlangNode: string }>,
): Record<string, number> | undefined {
  const led = queues.filter((q) => q.type === 'quorum' && q.leader);
  if (led.length === 0 || running.length === 0) return undefined;
  const out: Record<string, number> = Object.fromEntries(running.map((n) => [n.name, 0]));
  // looked up once per queue: a map, not a search of the nodes for each of thousands of queues
  const nameOf = new Map(running.map((n) => [n.erlangNode, n.name]));
  for (const q of led) {
    const name = q.leader === undefined ? undefined : nameOf.get(q.leader);
    if (name !== undefined) out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}
