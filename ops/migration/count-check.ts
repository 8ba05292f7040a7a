import { InvalidArgumentError } from '../errors.js';

/**
 * Did every message arrive? Per queue: what blue held when its shovel started (plus what green
 * already held) against what green holds once the shovels are done. The counts mean something
 * only while nobody publishes to or consumes from either queue; the orchestration takes them at
 * those moments. A shovel with ack-mode on-confirm never loses a message but may deliver one
 * twice after a reconnect (docs/shovel-dynamic, 4.0), so "extra" is the expected kind of error.
 */

export interface QueueCount {
  vhost: string;
  name: string;
  messages: number;
}

export interface CountCheckInput {
  /** Messages in each blue queue when its shovel started (what src-delete-after: queue-length measured). */
  blueBefore: readonly QueueCount[];
  /** Messages in each green queue once the shovels are done. */
  greenAfter: readonly QueueCount[];
  /** Messages in each green queue before its shovel started; a queue not listed held none. */
  greenBefore?: readonly QueueCount[];
  /** Messages left in each blue queue once the shovels are done. */
  blueAfter?: readonly QueueCount[];
  /** What each queue's shovel reports it moved. */
  transferred?: readonly QueueCount[];
}

export type CountVerdict =
  | { kind: 'moved-all' }
  | { kind: 'missing'; missing: number }
  /** More on green than there was: duplicates (a redelivery after a reconnect) or a publisher on green. */
  | { kind: 'extra'; extra: number }
  | { kind: 'unknown'; why: string };

export interface QueueCountResult {
  vhost: string;
  name: string;
  expected: number | undefined;
  found: number | undefined;
  verdict: CountVerdict;
  notes: string[];
}

export interface CountCheck {
  /** True when every queue's verdict is moved-all. */
  ok: boolean;
  queues: QueueCountResult[];
}

const key = (q: { vhost: string; name: string }) => `${q.vhost}\u0000${q.name}`;

function index(counts: readonly QueueCount[] | undefined): Map<string, number> {
  const map = new Map<string, number>();
  for (const c of counts ?? []) {
    if (!Number.isInteger(c.messages) || c.messages < 0) throw new InvalidArgumentError(`${c.name} (vhost ${c.vhost}): ${c.messages} is not a message count`);
    map.set(key(c), c.messages);
  }
  return map;
}

export function checkCounts(input: CountCheckInput): CountCheck {
  const blueBefore = index(input.blueBefore);
  const greenAfter = index(input.greenAfter);
  const greenBefore = index(input.greenBefore);
  const blueAfter = index(input.blueAfter);
  const transferred = index(input.transferred);
  const names = new Map<string, { vhost: string; name: string }>();
  for (const c of [...input.blueBefore, ...input.greenAfter]) if (!names.has(key(c))) names.set(key(c), { vhost: c.vhost, name: c.name });

  const queues = [...names.entries()].map(([k, q]): QueueCountResult => {
    const held = blueBefore.get(k);
    const found = greenAfter.get(k);
    const expected = held === undefined ? undefined : held + (greenBefore.get(k) ?? 0);
    const notes: string[] = [];
    const left = blueAfter.get(k);
    const moved = transferred.get(k);
    if (left !== undefined && left > 0) notes.push(`${left} still on blue`);
    if (moved !== undefined && held !== undefined && moved !== held) {
      notes.push(
        moved > held
          ? `the shovel moved ${moved}, ${moved - held} more than blue held: redelivered after a reconnect`
          : `the shovel reports ${moved} of ${held} moved`,
      );
    }
    let verdict: CountVerdict;
    if (expected === undefined) verdict = { kind: 'unknown', why: 'no count from blue' };
    else if (found === undefined) verdict = { kind: 'unknown', why: 'no count from green' };
    else if (found === expected) verdict = { kind: 'moved-all' };
    else if (found < expected) verdict = { kind: 'missing', missing: expected - found };
    else verdict = { kind: 'extra', extra: found - expected };
    return { ...q, expected, found, verdict, notes };
  });
  return { ok: queues.every((q) => q.verdict.kind === 'moved-all'), queues };
}

function verdictText(v: CountVerdict): string {
  switch (v.kind) {
    case 'moved-all':
      return 'moved all';
    case 'missing':
      return `missing ${v.missing} (expired, dropped by a limit, still on blue, or lost)`;
    case 'extra':
      return `extra ${v.extra} (duplicates, or published to green meanwhile)`;
    case 'unknown':
      return `unknown: ${v.why}`;
  }
}

export function renderCountCheck(check: CountCheck): string[] {
  return check.queues.map((q) => {
    const counts = q.expected === undefined || q.found === undefined ? '' : ` (${q.expected} expected, ${q.found} on green)`;
    return `${q.name} (vhost ${q.vhost}): ${verdictText(q.verdict)}${counts}${q.notes.length > 0 ? `; ${q.notes.join('; ')}` : ''}`;
  });
}
