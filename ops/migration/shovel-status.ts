import { z } from 'zod';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { RefusedError } from '../errors.js';
import { extractJson } from '../rabbit/json-output.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import { label, type QueueRef } from './message-move.js';

type Node = ClusterManifest['nodes'][number];

/**
 * One row of `rabbitmqctl shovel_status --formatter json` (the shovel plugin's
 * ShovelStatusCommand: name, vhost, type, state, termination_reason, last_changed; the source
 * and destination URIs are not read). state: `starting`, `running`, `terminated` (with its
 * reason), and on newer lines `blocked` (running, held back by flow control).
 */
const ShovelRow = z.looseObject({
  name: z.string(),
  vhost: z.string(),
  state: z.string(),
  termination_reason: z.string().optional(),
});
export type ShovelRow = z.infer<typeof ShovelRow>;

export interface PlannedShovelRef {
  vhost: string;
  /** The shovel's name. */
  name: string;
  /** The queue it moves. */
  queue: string;
}

/** What the shovels of a move are doing, from every node's status. */
export interface ShovelVerdict {
  running: number;
  /** Planned but not running yet: starting, blocked, on no node's list, or terminated for a reason a restart may cure (`ended`). */
  waiting: Array<PlannedShovelRef & { state: string; ended?: string }>;
  /** Terminated, with the plugin's reason: they will not move anything by themselves. */
  failed: Array<PlannedShovelRef & { reason: string }>;
}

/**
 * Termination reasons no restart will cure: the source or destination refused the login or the
 * vhost, or a queue is missing or declared differently. The plugin restarts a terminated shovel
 * after its reconnect-delay; for these it would fail the same way for ever.
 */
const LASTING = /access[_ -]?refused|auth[_ -]?failure|not[_ -]?allowed|not[_ -]?found|precondition[_ -]?failed|access to (target )?virtual host/i;

export function lastingFailure(reason: string): boolean {
  return LASTING.test(reason);
}

/**
 * Each node runs the shovels it was given and reports only those, so the rows of every node are
 * read together; a shovel listed by none has not started anywhere yet. A shovel terminated for a
 * lasting reason has failed; one terminated otherwise (a busy source timing out its declare:
 * "failed to set up topology" was seen on 3.10 under load) is waiting for the plugin's restart.
 */
export function judgeShovels(rows: readonly ShovelRow[], planned: readonly PlannedShovelRef[]): ShovelVerdict {
  const verdict: ShovelVerdict = { running: 0, waiting: [], failed: [] };
  for (const shovel of planned) {
    const mine = rows.filter((r) => r.name === shovel.name && r.vhost === shovel.vhost);
    // a shovel restarted on another node may still be listed as terminated where it ran before
    if (mine.some((r) => r.state === 'running')) {
      verdict.running += 1;
      continue;
    }
    const ended = mine.find((r) => r.state === 'terminated');
    const reason = ended ? ended.termination_reason?.trim() || 'no reason given' : undefined;
    if (reason !== undefined && lastingFailure(reason)) verdict.failed.push({ ...shovel, reason });
    else if (reason !== undefined) verdict.waiting.push({ ...shovel, state: `terminated (${reason}), restarting`, ended: reason });
    else verdict.waiting.push({ ...shovel, state: mine[0]?.state ?? 'not started' });
  }
  return verdict;
}

/** Every node's shovel_status, read as one list (one call per node: the plugin has no cluster-wide view on 3.x). */
export async function readShovelStatus(compose: ComposeClient, nodes: readonly Node[], timeoutSeconds = 30): Promise<ShovelRow[]> {
  const rows: ShovelRow[] = [];
  for (const node of nodes) {
    const r = await compose.exec(
      node.service,
      ['rabbitmqctl', '-q', 'shovel_status', '--formatter', 'json', `--timeout=${timeoutSeconds}`],
      (timeoutSeconds + 15) * 1000,
    );
    if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `shovel_status (${node.name})`);
    rows.push(...z.array(ShovelRow).parse(extractJson(r.stdout || '[]')));
  }
  return rows;
}

/** A move that cannot go on: a shovel ended, or never ran. Says which, why, and what to do. */
export class ShovelFailedError extends RefusedError {}

/**
 * The refusal for shovels that terminated (or never started): before the switch the clients are
 * still on blue with every message; after it, the messages the shovels did not move are still on
 * blue, and `migrate rollback` brings the clients back to them.
 */
export function shovelFailure(verdict: Pick<ShovelVerdict, 'failed' | 'waiting'>, switched: boolean, rollback: string): ShovelFailedError {
  const failed = verdict.failed.map((f) => `${queueLabel(f)}: terminated (${clip(f.reason)})`);
  const stuck = verdict.waiting.map((w) => `${queueLabel(w)}: ${clip(w.state)}`);
  const list = [...failed, ...stuck];
  const shown = list.length > 5 ? [...list.slice(0, 5), `and ${list.length - 5} more`] : list;
  const where = switched
    ? 'Clients are on green; the messages these shovels did not move are still on blue, where no client reaches them'
    : 'The load balancer was not moved: clients are still on blue. Every shovel was stopped; what the others had already moved is on green, and the rollback brings it back';
  return new ShovelFailedError(
    `the move cannot go on: ${list.length} shovel(s) do not run: ${shown.join('; ')}.\n${where}. Undo the move with \`${rollback}\`, fix the cause, and migrate again.`,
  );
}

const queueLabel = (s: PlannedShovelRef) => label({ vhost: s.vhost, name: s.queue } satisfies QueueRef);
const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 197)}...` : text).replace(/\s+/g, ' ');

export interface ShovelWaitOptions {
  timeoutMs: number;
  pollMs: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  onPoll?: (left: string) => void;
  /** The command that undoes the move, named in the refusal. */
  rollback: string;
  explain?: ExplainEnded;
}

/**
 * Asked about the vhosts of shovels that ended for a reason the plugin gives only vaguely (3.10
 * says "failed to connect to source" whether blue was busy or the login was refused): returns,
 * per vhost, a cause no restart will cure, found another way (the move user's permissions).
 */
export type ExplainEnded = (vhosts: readonly string[]) => Promise<Map<string, string>>;

/** The verdict with the ended shovels a lasting cause explains moved from waiting to failed. */
async function withExplained(verdict: ShovelVerdict, explain: ExplainEnded | undefined): Promise<ShovelVerdict> {
  const ended = verdict.waiting.filter((w) => w.ended !== undefined);
  if (!explain || ended.length === 0) return verdict;
  const causes = await explain([...new Set(ended.map((w) => w.vhost))]);
  if (causes.size === 0) return verdict;
  const failed = ended
    .filter((w) => causes.has(w.vhost))
    .map((w) => ({ vhost: w.vhost, name: w.name, queue: w.queue, reason: `${w.ended}: ${causes.get(w.vhost)}` }));
  return {
    running: verdict.running,
    waiting: verdict.waiting.filter((w) => !(w.ended !== undefined && causes.has(w.vhost))),
    failed: [...verdict.failed, ...failed],
  };
}

/**
 * Until every planned shovel runs, before the load balancer moves: a terminated one (the source
 * refused the login or the vhost, a queue is missing) refuses at once with its reason, one still
 * not running at the deadline refuses with its state. The clients are still on blue then.
 */
export async function waitShovelsRunning(read: () => Promise<ShovelRow[]>, planned: readonly PlannedShovelRef[], o: ShovelWaitOptions): Promise<void> {
  const deadline = o.now() + o.timeoutMs;
  for (;;) {
    o.signal?.throwIfAborted();
    const verdict = await withExplained(judgeShovels(await read(), planned), o.explain);
    if (verdict.failed.length > 0) throw shovelFailure({ failed: verdict.failed, waiting: [] }, false, o.rollback);
    if (verdict.waiting.length === 0) return;
    o.onPoll?.(
      `${verdict.running} of ${planned.length} shovel(s) running; waiting for ${verdict.waiting
        .map((w) => `${queueLabel(w)} (${w.state})`)
        .slice(0, 3)
        .join(', ')}${verdict.waiting.length > 3 ? ', …' : ''}`,
    );
    if (o.now() >= deadline) throw shovelFailure(verdict, false, o.rollback);
    await o.sleep(o.pollMs, o.signal);
  }
}

/**
 * A watch on the shovels during the drain, called at each poll: a shovel that terminated, or has
 * not been running for `stuckMs` (blocked by flow control, or restarting), ends the wait at once
 * rather than after the drain's deadline: it would never empty its queue. The status is read at
 * most every `everyMs`: each read is a `rabbitmqctl` per green node, and green's first node is the
 * one running every shovel (300 of them kept it above 100 % CPU), so the drain's 2 s polls do not
 * each ask it again.
 */
export function shovelWatch(
  read: () => Promise<ShovelRow[]>,
  planned: readonly PlannedShovelRef[],
  o: { now: () => number; stuckMs: number; rollback: string; everyMs?: number; explain?: ExplainEnded },
): () => Promise<void> {
  const notRunningSince = new Map<string, number>();
  let readAt: number | undefined;
  return async () => {
    const now = o.now();
    if (readAt !== undefined && now - readAt < (o.everyMs ?? 0)) return;
    readAt = now;
    const verdict = await withExplained(judgeShovels(await read(), planned), o.explain);
    if (verdict.failed.length > 0) throw shovelFailure({ failed: verdict.failed, waiting: [] }, true, o.rollback);
    const waiting = new Set(verdict.waiting.map((w) => `${w.vhost}\u0000${w.name}`));
    for (const key of [...notRunningSince.keys()]) if (!waiting.has(key)) notRunningSince.delete(key);
    for (const key of waiting) if (!notRunningSince.has(key)) notRunningSince.set(key, now);
    const stuck = verdict.waiting.filter((w) => now - notRunningSince.get(`${w.vhost}\u0000${w.name}`)! >= o.stuckMs);
    if (stuck.length > 0)
      throw shovelFailure({ failed: [], waiting: stuck.map((w) => ({ ...w, state: `${w.state} for ${Math.round(o.stuckMs / 1000)} s` })) }, true, o.rollback);
  };
}
