import { checkCounts, renderCountCheck } from '../../../../ops/migration/count-check.js';

const c = (name: string, messages: number, vhost = '/') => ({ vhost, name, messages });

describe('checkCounts', () => {
  test('moved all / missing N / extra N, per queue', () => {
    const r = checkCounts({
      blueBefore: [c('all', 100), c('short', 100), c('dup', 100)],
      greenAfter: [c('all', 100), c('short', 97), c('dup', 102)],
    });
    expect(r.queues.map((q) => [q.name, q.verdict])).toEqual([
      ['all', { kind: 'moved-all' }],
      ['short', { kind: 'missing', missing: 3 }],
      ['dup', { kind: 'extra', extra: 2 }],
    ]);
    expect(r.ok).toBe(false);
  });

  test('what green held before counts in the expectation', () => {
    const r = checkCounts({ blueBefore: [c('q', 10)], greenBefore: [c('q', 5)], greenAfter: [c('q', 15)] });
    expect(r.queues[0]).toMatchObject({ expected: 15, found: 15, verdict: { kind: 'moved-all' } });
    expect(r.ok).toBe(true);
  });

  test('queues are told apart by vhost', () => {
    const r = checkCounts({ blueBefore: [c('q', 1, '/'), c('q', 2, 'orders')], greenAfter: [c('q', 2, 'orders'), c('q', 1, '/')] });
    expect(r.ok).toBe(true);
  });

  test('a queue one side did not report is unknown, not a success', () => {
    const r = checkCounts({ blueBefore: [c('gone', 4)], greenAfter: [c('new', 0)] });
    expect(r.queues.map((q) => q.verdict)).toEqual([
      { kind: 'unknown', why: 'no count from green' },
      { kind: 'unknown', why: 'no count from blue' },
    ]);
    expect(r.ok).toBe(false);
  });

  test('notes: messages left on blue, and shovel counts that disagree with blue', () => {
    const r = checkCounts({
      blueBefore: [c('q', 10), c('r', 10)],
      greenAfter: [c('q', 8), c('r', 11)],
      blueAfter: [c('q', 2), c('r', 0)],
      transferred: [c('q', 8), c('r', 11)],
    });
    expect(r.queues[0]!.notes).toEqual(['2 still on blue', 'the shovel reports 8 of 10 moved']);
    expect(r.queues[1]!.notes).toEqual(['the shovel moved 11, 1 more than blue held: redelivered after a reconnect']);
  });

  test('a count that is not a whole non-negative number is refused', () => {
    expect(() => checkCounts({ blueBefore: [c('q', -1)], greenAfter: [] })).toThrow(/-1 is not a message count/);
    expect(() => checkCounts({ blueBefore: [c('q', 1.5)], greenAfter: [] })).toThrow(/not a message count/);
  });

  test('rendered', () => {
    const r = checkCounts({ blueBefore: [c('a', 5), c('b', 5), c('c', 5)], greenAfter: [c('a', 5), c('b', 4), c('c', 6)], blueAfter: [c('b', 1)] });
    expect(renderCountCheck(r)).toEqual([
      'a (vhost /): moved all (5 expected, 5 on green)',
      'b (vhost /): missing 1 (expired, dropped by a limit, still on blue, or lost) (5 expected, 4 on green); 1 still on blue',
      'c (vhost /): extra 1 (duplicates, or published to green meanwhile) (5 expected, 6 on green)',
    ]);
  });
});
