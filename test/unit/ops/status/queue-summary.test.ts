import { parseQueues, parseQueuesTable3 } from '../../../../ops/rabbit/parse-queues.js';
import { QUEUES_SHOWN, queueStatusLines } from '../../../../ops/status/queue-lines.js';
import { worstFirst } from '../../../../ops/status/queue-states.js';
import { queueSummary } from '../../../../ops/status/status-view.js';
import { countFake, fakeQueue3, fakeQueue4, fakeQueueName, listQueuesJson4, listQueuesTable3 } from '../../../helpers/fake-queues.js';

const RUNNING = [1, 2, 3].map((n) => ({ name: `rabbit${n}`, erlangNode: `rabbit@rabbit${n}` }));
const COUNT = 10_000;

describe('status of 10,000 quorum and classic queues (4.x)', () => {
  const fake = countFake(COUNT, fakeQueue4);
  const q = queueSummary(parseQueues(listQueuesJson4(COUNT), 4), 4, RUNNING);

  test('counts per state are the fake cluster’s own, and sum to the total', () => {
    expect(q.states).toEqual({
      'no-majority': fake['quorum-no-majority'],
      lagging: fake['quorum-one-offline'],
      'in-sync': fake['quorum-full'],
      unreplicated: fake.classic,
    });
    expect(Object.values(q.states).reduce((a, b) => a + b, 0)).toBe(COUNT);
  });

  test('the data stays complete: every queue with a replica behind, the ones without a majority first', () => {
    const behind = fake['quorum-no-majority'] + fake['quorum-one-offline'];
    expect(q.unhealthy).toHaveLength(behind);
    expect(q.withoutMajority).toHaveLength(fake['quorum-no-majority']);
    expect(q.unhealthy.slice(0, fake['quorum-no-majority']).every((u) => u.includes('1/3 members online'))).toBe(true);
    expect(q.unhealthy.slice(fake['quorum-no-majority']).every((u) => u.includes('2/3 members online'))).toBe(true);
    // within a state, by name: the same list at every poll
    expect(q.unhealthy[0]).toBe(`${fakeQueueName(3)} (1/3 members online; offline: rabbit@rabbit2, rabbit@rabbit3)`);
  });

  test('the terminal shows the counts, the worst ten and how many more, not 10,000 queues', () => {
    const lines = queueStatusLines(q);
    expect(lines[0]).toBe(
      `queues (quorum): ${COUNT} queues: ${fake['quorum-no-majority']} without a majority online, ${fake['quorum-one-offline']} with members offline, ` +
        `${fake['quorum-full']} with every member online, ${fake.classic} classic (not replicated)`,
    );
    expect(lines[1]).toBe(`worst ${QUEUES_SHOWN} of ${q.unhealthy.length} with a replica behind:`);
    expect(lines.slice(2, 2 + QUEUES_SHOWN)).toEqual(q.unhealthy.slice(0, QUEUES_SHOWN).map((u) => `  ${u}`));
    expect(lines[2 + QUEUES_SHOWN]).toBe(`… and ${q.unhealthy.length - QUEUES_SHOWN} more queues (--json lists every one)`);
    expect(lines).toHaveLength(3 + QUEUES_SHOWN);
  });
});

describe('status of 10,000 mirrored queues (3.x table)', () => {
  const fake = countFake(COUNT, fakeQueue3);
  const q = queueSummary(parseQueuesTable3(listQueuesTable3(COUNT)), 3, RUNNING);

  test('counts per state, in the words of mirroring', () => {
    expect(q.states).toEqual({ 'no-majority': 0, lagging: fake['mirrored-one-unsynced'], 'in-sync': fake['mirrored-synced'], unreplicated: fake.unmirrored });
    expect(queueStatusLines(q)[0]).toBe(
      `queues (classic mirrored): ${COUNT} queues: ${fake['mirrored-one-unsynced']} with unsynchronised mirrors, ${fake['mirrored-synced']} with every mirror synchronised, ${fake.unmirrored} not mirrored`,
    );
    expect(q.unhealthy).toHaveLength(fake['mirrored-one-unsynced']);
  });
});

describe('a few queues behind: the one line small clusters always had', () => {
  const queue = (name: string, inSync: string[]) => ({ name, type: 'quorum', policy: undefined, replicas: ['a', 'b', 'c'], inSync });

  test('up to ten are named on one line, worst first', () => {
    const q = queueSummary([queue('b', ['a', 'b']), queue('a', ['a']), queue('c', ['a', 'b', 'c'])], 4);
    expect(queueStatusLines(q)).toEqual(['queues (quorum): a (1/3 members online; offline: b, c); b (2/3 members online; offline: c)']);
  });

  test('none behind: the total', () => {
    expect(queueStatusLines(queueSummary([queue('a', ['a', 'b', 'c'])], 4))).toEqual(['queues (quorum): 1, all replicas in sync']);
  });

  test('worst first: no majority, then the largest share behind, then by name', () => {
    const five = (name: string, online: number) => ({
      name,
      type: 'quorum',
      policy: undefined,
      replicas: ['a', 'b', 'c', 'd', 'e'],
      inSync: ['a', 'b', 'c', 'd', 'e'].slice(0, online),
    });
    const order = worstFirst([five('z4', 4), five('y3', 3), five('x2', 2), five('w4', 4), five('v5', 5)]).map((q) => q.name);
    expect(order).toEqual(['x2', 'y3', 'w4', 'z4']);
  });
});
