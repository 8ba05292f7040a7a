import amqp from 'amqplib';
import { consumeAll, publishAll, queueArguments, type LoadTarget } from '../../clients/amqp-load.js';
import { waitFor } from '../cluster-probes.js';
import type { CommandRunner } from '../../../../ops/runner/command.js';
import type { MachineSet } from './machine-set.js';
import type { MultiHostCluster } from './multi-host-cluster.js';
import { amqpConnectOptions } from '../../clients/client-tls.js';

/** LB machines whose eth0 holds the VIP, read from their namespaces (a dead keepalived takes no exec). */
export async function vipHolders(runner: CommandRunner, set: MachineSet, lbs: readonly string[], vip: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of lbs) {
    const m = set.get(name);
    if (!m.isUp) continue;
    const r = await runner.run({ file: 'ip', args: ['-n', m.netns, '-4', '-o', 'addr', 'show', 'dev', 'eth0'], timeoutMs: 10_000 });
    if (r.stdout.includes(`inet ${vip}/`)) found.push(name);
  }
  return found;
}

/** The node holding a queue's leader (quorum) or master (mirrored), from the management API of a live broker. */
export async function queueLeaderNode(cluster: MultiHostCluster, set: MachineSet, queue: string): Promise<string | undefined> {
  const { user, pass } = cluster.admin;
  for (const node of cluster.model.nodes) {
    const machine = machineOfNode(cluster, node.name);
    if (!set.get(machine).isUp) continue;
    try {
      const response = await fetch(`http://${set.get(machine).address}:15672/api/queues/%2F/${encodeURIComponent(queue)}`, {
        headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` },
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) continue;
      const info = (await response.json()) as { leader?: string; node?: string };
      return /^rabbit@(.+)$/.exec(info.leader ?? info.node ?? '')?.[1];
    } catch {
      // that broker is down or cut off: ask the next
    }
  }
  return undefined;
}

export function machineOfNode(cluster: MultiHostCluster, node: string): string {
  const host = cluster.model.nodes.find((n) => n.name === node)?.host;
  if (!host) throw new Error(`node ${node} has no host`);
  return host;
}

export interface LossFigures {
  total: number;
  confirmed: number;
  missing: number;
  duplicates: number;
  victim: string;
  confirmedAtEvent: number;
  /** Longest gap between two confirmed batches after the event: what the publisher felt. */
  publishPauseMs: number;
  publishReconnects: number;
  publishMs: number;
}

/**
 * Persistent messages with confirms through the VIP while `event` happens (after 1,000 confirms);
 * then everything is consumed through the VIP. Every confirmed id must come back.
 */
export async function publishThrough(
  cluster: MultiHostCluster,
  target: LoadTarget,
  total: number,
  event: () => Promise<string>,
  afterEvent: () => Promise<void> = async () => {},
  /** A rest after each confirmed batch of 100: a slower stream that lasts as long as the event. */
  pauseMs = 0,
): Promise<LossFigures> {
  const progress: number[] = [];
  let confirmedNow = 0;
  let finished = false;
  const publishing = publishAll(target, total, {
    batch: 100,
    budgetMs: 420_000,
    pauseMs,
    onProgress: (n) => {
      confirmedNow = n;
      progress.push(Date.now());
    },
  }).finally(() => (finished = true));
  await waitFor('1000 confirms before the event', 120_000, async () => (confirmedNow >= 1000 || finished ? true : undefined), 20);
  const confirmedAtEvent = confirmedNow;
  const at = Date.now();
  const victim = await event();
  await afterEvent();
  const published = await publishing;
  const after = [at, ...progress.filter((t) => t >= at)];
  const publishPauseMs = Math.max(0, ...after.slice(1).map((t, i) => t - after[i]!));
  const consumed = await consumeAll(target, published.confirmed, { budgetMs: 300_000 });
  return {
    total,
    confirmed: published.confirmed.size,
    missing: [...published.confirmed].filter((id) => !consumed.received.has(id)).length,
    duplicates: consumed.duplicates,
    victim,
    confirmedAtEvent,
    publishPauseMs,
    publishReconnects: published.reconnects,
    publishMs: published.durationMs,
  };
}

/** Declares the queue (through `url`), retried for a while: the VIP may be moving when it is called. */
export async function declareQueue(target: LoadTarget, url = target.url): Promise<void> {
  await waitFor(
    `queue ${target.queue} declared`,
    60_000,
    async () => {
      const connection = await amqp.connect(url, amqpConnectOptions(url, 10_000));
      try {
        const channel = await connection.createChannel();
        await channel.assertQueue(target.queue, queueArguments(target));
        return true;
      } finally {
        await connection.close().catch(() => undefined);
      }
    },
    500,
  );
}
