/**
 * `rabbitmqctl list_queues` as a cluster of `count` queues on rabbit@rabbit1–3 prints it, for
 * the tests and the bench that look at status, check and the watcher at scale. Deterministic: the
 * state of queue i follows from i, and the exported counters say how many of each there are, so a
 * test can check the summary's counts against them.
 */

const NODES = ['rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3'] as const;

/** What queue i is, on 4.x: a classic queue (no replicas) or a quorum queue with 0, 1 or 2 of its 3 members offline. */
export type FakeQueue4 = 'classic' | 'quorum-full' | 'quorum-one-offline' | 'quorum-no-majority';

export function fakeQueue4(i: number): FakeQueue4 {
  if (i % 5 === 0) return 'classic';
  if (i % 97 === 3) return 'quorum-no-majority';
  if (i % 7 === 1) return 'quorum-one-offline';
  return 'quorum-full';
}

/** What queue i is, on 3.x: unmirrored, or mirrored (ha-all: two mirrors) with every mirror or one of them synchronised. */
export type FakeQueue3 = 'unmirrored' | 'mirrored-synced' | 'mirrored-one-unsynced';

export function fakeQueue3(i: number): FakeQueue3 {
  if (i % 10 === 0) return 'unmirrored';
  return i % 6 === 1 ? 'mirrored-one-unsynced' : 'mirrored-synced';
}

/** How many of `count` queues are in each state (the fake's own answer, for tests to compare with). */
export function countFake<S extends string>(count: number, stateOf: (i: number) => S): Record<S, number> {
  const out = {} as Record<S, number>;
  for (let i = 0; i < count; i++) {
    const s = stateOf(i);
    out[s] = (out[s] ?? 0) + 1;
  }
  return out;
}

export const fakeQueueName = (i: number) => `orders.${String(i).padStart(5, '0')}`;

/**
 * 4.x `list_queues name type policy members online leader --formatter json`: one row per line,
 * as rabbitmqctl streams it ("[", rows separated by ",\n", "]"). Quorum leaders rotate over the
 * online members; a queue without a majority has no leader ("").
 */
export function listQueuesJson4(count: number): string {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = fakeQueueName(i);
    const state = fakeQueue4(i);
    if (state === 'classic') {
      rows.push(JSON.stringify({ name, type: 'classic', policy: '', members: '', online: '', leader: '' }));
      continue;
    }
    const offline: string[] = state === 'quorum-full' ? [] : state === 'quorum-one-offline' ? [NODES[2]] : [NODES[1], NODES[2]];
    const online = NODES.filter((n) => !offline.includes(n));
    const leader = state === 'quorum-no-majority' ? '' : online[i % online.length]!;
    rows.push(JSON.stringify({ name, type: 'quorum', policy: '', members: [...NODES], online, leader }));
  }
  return `[\n${rows.join(',\n')}\n]\n`;
}

/**
 * 3.x `list_queues --no-table-headers name type policy slave_pids synchronised_slave_pids`
 * (tab-separated, pids as the table prints them): mirrors on rabbit2 and rabbit3 under ha-all.
 */
export function listQueuesTable3(count: number): string {
  const pid = (node: string, i: number) => `<${node}.1795698192.${1000 + (i % 9000)}.0>`;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = fakeQueueName(i);
    const state = fakeQueue3(i);
    if (state === 'unmirrored') {
      lines.push(`${name}\tclassic\t\t[]\t[]`);
      continue;
    }
    const slaves = [pid(NODES[2], i), pid(NODES[1], i)];
    const synced = state === 'mirrored-synced' ? slaves : [slaves[1]!];
    lines.push(`${name}\tclassic\tha-all\t[${slaves.join(', ')}]\t[${synced.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}
