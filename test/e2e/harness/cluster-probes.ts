import type { GeneratedCluster } from './generated-cluster.js';

/** Polling helpers for a generated cluster. Deadlines are generous: they bound a hang, not a speed. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = String(error);
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${deadlineMs} ms waiting for ${what} ${last}`.trim());
}

export interface ClusterStatus {
  running_nodes: string[];
  disk_nodes: string[];
  ram_nodes: string[];
}

export async function clusterStatus(cluster: GeneratedCluster, node: string): Promise<ClusterStatus | undefined> {
  const result = await cluster.exec(node, ['rabbitmqctl', 'cluster_status', '--formatter', 'json']);
  if (result.exitCode !== 0) return undefined;
  const parsed = JSON.parse(result.stdout) as Partial<ClusterStatus>;
  return { running_nodes: parsed.running_nodes ?? [], disk_nodes: parsed.disk_nodes ?? [], ram_nodes: parsed.ram_nodes ?? [] };
}

/**
 * Polls one node (one rabbitmqctl at a time: each costs an Erlang VM start on a 2-core machine)
 * until it reports every listed node running in its cluster.
 */
export async function waitClustered(cluster: GeneratedCluster, via: string, nodes: string[], deadlineMs = 300_000): Promise<ClusterStatus> {
  const want = nodes.map((n) => `rabbit@${n}`).sort();
  return waitFor(
    `${want.join(', ')} running in one cluster (asked ${via})`,
    deadlineMs,
    async () => {
      const status = await clusterStatus(cluster, via);
      return status && want.every((n) => status.running_nodes.includes(n)) ? status : undefined;
    },
    2000,
  );
}

/** Until `rabbitmqctl await_startup` succeeds: the broker app is running on that node. */
export async function waitBooted(cluster: GeneratedCluster, node: string, deadlineMs = 300_000): Promise<void> {
  await waitFor(
    `${node} to boot`,
    deadlineMs,
    async () => ((await cluster.exec(node, ['rabbitmqctl', 'await_startup', '--timeout', '60'], 90_000)).exitCode === 0 ? true : undefined),
    2000,
  );
}

/**
 * Node (service name) that hosts a queue's leader (quorum) or master (mirrored classic), from the
 * management API of a node's published port: rabbitmqctl's JSON prints classic queue pids without
 * their node.
 */
export async function queueLeader(cluster: GeneratedCluster, via: string, queue: string): Promise<string | undefined> {
  const port = cluster.model.nodes.find((n) => n.name === via)?.ports.management;
  const { user, pass } = cluster.admin;
  const response = await fetch(`http://127.0.0.1:${port}/api/queues/%2F/${encodeURIComponent(queue)}`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) return undefined;
  const info = (await response.json()) as { leader?: string; node?: string };
  return /^rabbit@(.+)$/.exec(info.leader ?? info.node ?? '')?.[1];
}

/** IPv4 addresses on eth0 of a container; ask an LB's `<lb>-netns` (a killed keepalived takes no exec). */
export async function addressesOf(cluster: GeneratedCluster, service: string): Promise<string[]> {
  const result = await cluster.exec(service, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0'], 20_000);
  if (result.exitCode !== 0) return [];
  return [...result.stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!);
}

/** One `[e2e-figures] {...}` line per scenario, collected for the closing note. */
export function reportFigures(scenario: string, figures: Record<string, unknown>): void {
  console.log(`[e2e-figures] ${JSON.stringify({ scenario, ...figures })}`);
}
