import { leaderLocatorFor, QUORUM_ARGUMENTS, quorumPriorityNote } from './queue-type-facts.js';

/** One thing done to (or noticed about) a queue argument when the queue becomes a quorum queue. */
export interface ArgumentChange {
  key: string;
  action: 'dropped' | 'replaced' | 'changed' | 'kept';
  from: unknown;
  /** The new value (changed, replaced). */
  to?: unknown;
  /** The key the value moved to (replaced). */
  toKey?: string;
  why: string;
  /** True when the queue behaves differently on green, not only spelled differently. */
  semantic: boolean;
}

/** Stream-only arguments; a classic queue cannot hold them, and a quorum declaration refuses them. */
const STREAM_ONLY_ARGUMENTS = new Set(['x-max-age', 'x-stream-max-segment-size-bytes', 'x-initial-cluster-size', 'x-stream-filter-size-bytes']);

/**
 * A classic queue's arguments as a quorum queue's (queue-type-facts.ts has the sources): the
 * classic-only ones a quorum declaration refuses are dropped or translated, `x-overflow:
 * reject-publish-dlx` (docs/quorum-queues feature matrix: not supported; rabbit_quorum_queue.erl
 * `overflow/3` logs a warning and falls back to drop-head) becomes reject-publish, and the rest
 * stays. Pure; the input is not modified.
 */
export function quorumArguments(
  args: Readonly<Record<string, unknown>>,
  green: { major: number; minor: number },
): { arguments: Record<string, unknown>; changes: ArgumentChange[] } {
  const out: Record<string, unknown> = {};
  const changes: ArgumentChange[] = [];
  const drop = (key: string, why: string, semantic: boolean) => changes.push({ key, action: 'dropped', from: args[key], why, semantic });

  for (const [key, value] of Object.entries(args)) {
    if (key === 'x-queue-type') continue;
    if (key === 'x-max-priority') drop(key, quorumPriorityNote(green), true);
    else if (key === 'x-queue-mode')
      drop(key, 'lazy mode is gone (classic queues ignore it since 3.12; quorum queues refuse it and always keep messages on disk)', false);
    else if (key === 'x-queue-version') drop(key, 'classic queue storage version; quorum queues refuse it', false);
    else if (key === 'x-queue-master-locator') {
      const locator = leaderLocatorFor(value);
      if (locator !== undefined && args['x-queue-leader-locator'] === undefined) {
        out['x-queue-leader-locator'] = locator;
        changes.push({
          key,
          action: 'replaced',
          from: value,
          toKey: 'x-queue-leader-locator',
          to: locator,
          why: 'quorum queues take leader locators',
          semantic: false,
        });
      } else {
        drop(
          key,
          locator === undefined
            ? `no leader locator matches ${JSON.stringify(value)}; green's default (client-local) applies`
            : 'x-queue-leader-locator is already set',
          locator === undefined,
        );
      }
    } else if (key.startsWith('x-ha-')) drop(key, 'not a RabbitMQ argument (mirroring is set by policies); ignored before, removed now', false);
    else if (STREAM_ONLY_ARGUMENTS.has(key)) drop(key, 'a stream argument; quorum queues refuse it', false);
    else if (key === 'x-overflow' && value === 'reject-publish-dlx') {
      out[key] = 'reject-publish';
      changes.push({
        key,
        action: 'changed',
        from: value,
        to: 'reject-publish',
        why: 'quorum queues do not support reject-publish-dlx (they would fall back to drop-head); publishes past the limit are still refused, but no longer dead-lettered',
        semantic: true,
      });
    } else {
      out[key] = value;
      if (key === 'x-expires')
        changes.push({
          key,
          action: 'kept',
          from: value,
          why: 'on a quorum queue the expiry lease is not renewed when a client declares the queue again',
          semantic: true,
        });
      else if (!QUORUM_ARGUMENTS.has(key))
        changes.push({ key, action: 'kept', from: value, why: 'not an argument RabbitMQ knows; kept, and ignored as before', semantic: false });
    }
  }
  out['x-queue-type'] = 'quorum';
  return { arguments: out, changes };
}
