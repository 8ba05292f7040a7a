import type { QueueReplication } from '../rabbit/parse-queues.js';

/**
 * The replication states `status` tells apart, worst first: a quorum queue without a majority
 * online accepts and delivers nothing; one with replicas offline (or a mirror unsynchronised)
 * works with less redundancy; then the healthy replicated ones, and the unreplicated ones
 * (classic queues on 4.x, unmirrored on 3.x), which have nothing to lag.
 */
export const QUEUE_STATES = ['no-majority', 'lagging', 'in-sync', 'unreplicated'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** How many queues of each state: every state listed, 0 included, so a reader need not guess. */
export type QueueStateCounts = Record<QueueState, number>;

export function queueStateOf(q: QueueReplication): QueueState {
  if (q.replicas.length === 0) return 'unreplicated';
  if (q.type === 'quorum' && q.inSync.length < Math.floor(q.replicas.length / 2) + 1) return 'no-majority';
  return laggingOf(q) > 0 ? 'lagging' : 'in-sync';
}

/** Replicas not in sync (3.x mirrors) or not online (4.x members). */
export function laggingOf(q: QueueReplication): number {
  let n = 0;
  for (const r of q.replicas) if (!q.inSync.includes(r)) n += 1;
  return n;
}

export function countStates(queues: readonly QueueReplication[]): QueueStateCounts {
  const counts: QueueStateCounts = { 'no-majority': 0, lagging: 0, 'in-sync': 0, unreplicated: 0 };
  for (const q of queues) counts[queueStateOf(q)] += 1;
  return counts;
}

/**
 * The queues with a replica behind, worst first, which is the order the human outputs cut after N:
 * without a majority first (an outage for its clients), then by the share of replicas behind,
 * largest first (closest to losing its majority or its last synchronised copy), then by name, so
 * the same cluster gives the same list at every poll.
 */
export function worstFirst(queues: readonly QueueReplication[]): QueueReplication[] {
  const keyed = queues.map((q) => ({ q, state: QUEUE_STATES.indexOf(queueStateOf(q)), behind: laggingOf(q) / q.replicas.length })).filter((k) => k.behind > 0);
  keyed.sort((a, b) => a.state - b.state || b.behind - a.behind || (a.q.name < b.q.name ? -1 : a.q.name > b.q.name ? 1 : 0));
  return keyed.map((k) => k.q);
}

/** Words for each state, by what the cluster's queues are (`status`'s `kind`). */
export function stateLabel(state: QueueState, kind: string): string {
  const quorum = kind === 'quorum';
  switch (state) {
    case 'no-majority':
      return 'without a majority online';
    case 'lagging':
      return quorum ? 'with members offline' : 'with unsynchronised mirrors';
    case 'in-sync':
      return quorum ? 'with every member online' : 'with every mirror synchronised';
    case 'unreplicated':
      return quorum ? 'classic (not replicated)' : 'not mirrored';
  }
}
