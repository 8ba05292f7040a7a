import { END_OF_OPTIONS, vhostOption } from '../rabbit/rabbitmqctl.js';
import { z } from 'zod';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { DeadlineError } from '../errors.js';
import { extractJson } from '../rabbit/json-output.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import type { ClusterServices } from '../ops-tools.js';

type Node = ClusterManifest['nodes'][number];
export interface QueueRef {
  vhost: string;
  name: string;
}

const QueueDepths = z.array(z.looseObject({ name: z.string(), messages: z.number().nullable().optional() }));

/** Messages in each queue (ready + unacknowledged), asked per vhost; a queue that is not there counts 0. */
export async function queueDepths(compose: ComposeClient, node: Node, queues: readonly QueueRef[], timeoutSeconds = 60): Promise<Map<string, number>> {
  const depths = new Map<string, number>();
  for (const vhost of [...new Set(queues.map((q) => q.vhost))]) {
    const r = await compose.exec(
      node.service,
      ['rabbitmqctl', '-q', 'list_queues', vhostOption(vhost), '--formatter', 'json', `--timeout=${timeoutSeconds}`, END_OF_OPTIONS, 'name', 'messages'],
      (timeoutSeconds + 15) * 1000,
    );
    if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `list_queues -p ${vhost} (${node.name})`);
    const rows = QueueDepths.parse(extractJson(r.stdout || '[]'));
    // by name, the first row of each as before: looked up once per moved queue, not searched
    const byName = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!byName.has(row.name)) byName.set(row.name, row);
    for (const q of queues.filter((x) => x.vhost === vhost)) {
      // not listed, or listed without a count, is not known to be empty (data is removed on "empty")
      const count = byName.get(q.name)?.messages;
      if (typeof count !== 'number')
        throw new Error(`list_queues -p ${vhost} (${node.name}) gave no message count for ${q.name} (${rows.length} queues listed)`);
      depths.set(key(q), count);
    }
  }
  return depths;
}

/**
 * queueDepths, asked again (up to 4 times, 5 s apart) when RabbitMQ answers that some queue is
 * unresponsive: after shovels were stopped, 3.10 and 4.3 both gave that answer for a few seconds
 * at a time on idle queues in e2e runs, between answers that listed every queue. Anything else
 * fails at once.
 */
export async function steadyQueueDepths(s: ClusterServices, node: Node, queues: readonly QueueRef[]): Promise<Map<string, number>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await queueDepths(s.compose, node, queues);
    } catch (error) {
      if (attempt >= 4 || !(error instanceof CommandFailedError) || !/unresponsive/i.test(error.message)) throw error;
      await s.tools.sleep(5_000);
    }
  }
}

/**
 * How long every queue must keep reading 0 before it is taken for empty. A quorum queue's count
 * in list_queues is refreshed on the queue's tick (about every 5 s), not at each message: in an
 * e2e run green's e2e-b read 0 just after 200 confirmed messages had arrived. Data is removed on
 * "empty", so a zero counts only once it has held across more than two ticks.
 */
export const EMPTY_SETTLE_MS = 12_000;

export const key = (q: QueueRef) => `${q.vhost}\u0000${q.name}`;
export const label = (q: QueueRef) => (q.vhost === '/' ? q.name : `${q.name} (vhost ${q.vhost})`);

/**
 * While the statistics still show messages, `list_queues` is asked at most this often: each ask
 * reaches every queue process, which is what stalled busy 3.10 queues (over 60 s per answer) and
 * a green running 300 shovels.
 */
export const BROKER_ASK_MS = 10_000;

/**
 * Until every queue is empty on the cluster `s` reaches (its shovels have moved everything).
 * Progress comes from the management API's statistics, one request for every vhost, which asks
 * no queue process; "empty" is decided by `list_queues` only: green's data is removed on the
 * strength of this answer. The statistics lag, went stale on an idle queue (3.10 kept showing
 * messages long gone) and once let a rollback remove green with 200 messages still in it, so:
 * while they show messages, `list_queues` is still asked every BROKER_ASK_MS; once they show
 * none (or the API does not answer), at every poll, with a 15 s timeout, until its zeros have
 * held for settleMs. On 3.10 it took over 60 s while the shovels drained busy mirrored queues.
 */
export async function waitEmpty(
  s: ClusterServices,
  node: Node,
  queues: readonly QueueRef[],
  o: {
    timeoutMs: number;
    pollMs: number;
    settleMs?: number;
    signal?: AbortSignal;
    onPoll?: (left: string) => void;
    /** Called at each poll; throws to end the wait at once (migrate: a shovel that stopped running). */
    check?: () => Promise<void>;
  },
): Promise<void> {
  const { sleep, now } = s.tools;
  const deadline = now() + o.timeoutMs;
  const settleMs = o.settleMs ?? EMPTY_SETTLE_MS;
  // when the broker's answers began saying "all empty" without a break: one zero is not trusted alone
  let emptySince: number | undefined;
  let brokerAskedAt: number | undefined;
  let left: string;
  for (;;) {
    // stopped (Ctrl-C, the bot shutting down): the phase stays undone, the next run waits again
    o.signal?.throwIfAborted();
    await o.check?.();
    const stats = await statisticsDepths(s).catch(() => undefined);
    const busy = stats ? queues.filter((q) => (stats.get(key(q)) ?? 0) > 0) : [];
    if (busy.length > 0 && brokerAskedAt !== undefined && now() - brokerAskedAt < BROKER_ASK_MS) {
      left = `${busy.map((q) => `${label(q)}: ${stats!.get(key(q))}`).join(', ')} (statistics)`;
    } else {
      const askedAt = now();
      brokerAskedAt = askedAt;
      try {
        const depths = await queueDepths(s.compose, node, queues, 15);
        const waiting = queues.filter((q) => (depths.get(key(q)) ?? 0) > 0);
        if (waiting.length === 0) {
          emptySince ??= askedAt;
          if (now() - emptySince >= settleMs) return;
          left = `every queue reads empty; asking again until it has for ${Math.round(settleMs / 1000)} s (quorum queues refresh their count every few seconds)`;
        } else {
          emptySince = undefined;
          left = waiting.map((q) => `${label(q)}: ${depths.get(key(q))}`).join(', ');
        }
      } catch (error) {
        // no answer says nothing either way: only a count above 0 breaks a run of zeros (on 3.10,
        // list_queues often misses its 15 s while shovels work, so answers come between failures)
        const counted = stats ? queues.filter((q) => stats.get(key(q)) !== 0).map((q) => `${label(q)}: ${stats.get(key(q)) ?? '?'}`) : [];
        left = `no count from list_queues (${error instanceof Error ? error.message.split('\n')[0] : String(error)})${stats ? `; the statistics say ${counted.join(', ') || 'empty'}` : ''}`;
      }
    }
    o.onPoll?.(left);
    if (now() >= deadline)
      throw new DeadlineError(`messages still waiting to move after ${Math.round(o.timeoutMs / 1000)} s: ${left}; run the same command again to keep waiting`);
    await sleep(o.pollMs, o.signal);
  }
}

/** The API's (lagging) figures for every queue of every vhost in one request; undefined when the API does not answer. */
async function statisticsDepths(s: ClusterServices): Promise<Map<string, number | undefined> | undefined> {
  const api = await s.api.connect();
  return 'base' in api ? s.api.allQueueDepths(api.base) : undefined;
}
