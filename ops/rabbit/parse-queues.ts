import { z } from 'zod';
import { extractJson, nodeOfPid } from './json-output.js';

/** Replication of one queue: its replicas (mirrors / quorum members) and those in sync / online. */
export interface QueueReplication {
  name: string;
  type: string;
  policy: string | undefined;
  replicas: string[];
  inSync: string[];
  /** The Erlang node leading a quorum queue (4.x reads and the management API; absent for classic queues). */
  leader?: string;
}

/** A list column the CLI prints as [] / "" / null when empty (mirrors, members). */
const NodeList = z.union([z.array(z.string()), z.string(), z.null(), z.undefined()]).transform((v) => (Array.isArray(v) ? v : v ? [v] : []));

/** Columns for `list_queues` per major version (see parseQueues / parseQueuesTable3). */
export function queueColumns(major: number): string[] {
  return major >= 4 ? ['name', 'type', 'policy', 'members', 'online', 'leader'] : ['name', 'type', 'policy', 'slave_pids', 'synchronised_slave_pids'];
}

const Row4 = z.object({
  name: z.string(),
  type: z.string().default('classic'),
  policy: z.string().nullish(),
  members: NodeList,
  online: NodeList,
  leader: z.string().nullish(),
});

/**
 * 4.x, `list_queues name type policy members online leader --formatter json`: classic mirroring
 * is gone; quorum (and stream) queues list members, the online ones and their leader ("" for
 * classic queues).
 */
export function parseQueues(stdout: string, major: number): QueueReplication[] {
  if (major < 4) throw new Error('3.x queues come from the table output: use parseQueuesTable3');
  const rows = z.array(z.unknown()).parse(extractJson(stdout));
  return rows.map((r) => {
    const q = Row4.parse(r);
    return { name: q.name, type: q.type, policy: q.policy || undefined, replicas: q.members, inSync: q.online, ...(q.leader ? { leader: q.leader } : {}) };
  });
}

/**
 * 3.x, `list_queues --no-table-headers name type policy slave_pids synchronised_slave_pids`
 * (tab-separated). Not JSON: 3.10's JSON formatter prints pids as "#PID<12663.1733.0>", without
 * the node, while the table prints "[<rabbit@rabbit3.1795698192.1731.0>, …]". A mirror is in
 * sync when its pid is also in synchronised_slave_pids. The name is everything before the last
 * four columns, so a tab in a queue name cannot shift them.
 */
export function parseQueuesTable3(stdout: string): QueueReplication[] {
  const out: QueueReplication[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split('\t');
    if (fields.length < 5) throw new SyntaxError(`unexpected list_queues line (want 5 tab-separated columns): ${line.slice(0, 200)}`);
    const [type, policy, slaves, synced] = fields.slice(-4) as [string, string, string, string];
    const replicas = pidNodes(slaves);
    const inSync = pidNodes(synced);
    out.push({ name: fields.slice(0, -4).join('\t'), type: type || 'classic', policy: policy || undefined, replicas, inSync });
  }
  return out;
}

/** "[<rabbit@rabbit3.1795698192.1731.0>, <rabbit@rabbit2.1.2.0>]" → Erlang nodes; "[]" or "" → []. */
function pidNodes(cell: string): string[] {
  const pids = cell.match(/<[^<>]+>/g) ?? [];
  return pids.map(nodeOfPid);
}

/** "orders (1 unsynchronised mirror: rabbit@rabbit3)" for every queue with a lagging replica. */
export function unhealthyQueues(queues: readonly QueueReplication[], major: number): string[] {
  const out: string[] = [];
  for (const q of queues) {
    const lagging = q.replicas.filter((r) => !q.inSync.includes(r));
    if (lagging.length === 0) continue;
    out.push(
      major >= 4
        ? `${q.name} (${q.replicas.length - lagging.length}/${q.replicas.length} members online; offline: ${lagging.join(', ')})`
        : `${q.name} (${lagging.length} unsynchronised mirror${lagging.length > 1 ? 's' : ''}: ${lagging.join(', ')})`,
    );
  }
  return out;
}
