import type { PolicyEntry } from '../../../../ops/migration/definition-entries.js';
import { effectivePolicy, matchesName, patternProblem, toJsRegExp } from '../../../../ops/migration/policy-match.js';
import { classicUnsupportedPolicyKeys3x, QUORUM_UNSUPPORTED_POLICY_KEYS } from '../../../../ops/migration/queue-type-facts.js';

const p = (name: string, pattern: string, priority: number, definition: Record<string, unknown>, extra: Partial<PolicyEntry> = {}): PolicyEntry => ({
  vhost: '/',
  name,
  pattern,
  'apply-to': 'all',
  priority,
  definition,
  ...extra,
});
const CLASSIC_310 = { queueType: 'classic', unsupported: classicUnsupportedPolicyKeys3x(10) };
const QUORUM = { queueType: 'quorum', unsupported: QUORUM_UNSUPPORTED_POLICY_KEYS };

describe('effectivePolicy (rabbit_policy.erl match_all)', () => {
  test('the highest priority among the matching policies wins, whatever the order given', () => {
    const policies = [p('low', '^', 0, { 'ha-mode': 'all' }), p('high', 'orders', 7, { 'message-ttl': 1 }), p('mid', '^o', 3, { 'max-length': 1 })];
    expect(effectivePolicy({ vhost: '/', name: 'orders.in' }, policies, CLASSIC_310).winner?.name).toBe('high');
    expect(effectivePolicy({ vhost: '/', name: 'other' }, policies, CLASSIC_310).winner?.name).toBe('mid');
    expect(effectivePolicy({ vhost: '/', name: 'x' }, policies, CLASSIC_310).winner?.name).toBe('low');
  });

  test('negative priorities count too', () => {
    expect(effectivePolicy({ vhost: '/', name: 'q' }, [p('minus', '^', -5, {}), p('zero', '^', 0, {})], CLASSIC_310).winner?.name).toBe('zero');
  });

  test('other vhosts never match', () => {
    expect(effectivePolicy({ vhost: 'orders', name: 'q' }, [p('root', '^', 9, { 'ha-mode': 'all' })], CLASSIC_310).winner).toBeUndefined();
  });

  test('apply-to: exchanges never, classic_queues / quorum_queues only their type', () => {
    const policies = [
      p('x', '^', 9, {}, { 'apply-to': 'exchanges' }),
      p('cq', '^', 5, {}, { 'apply-to': 'classic_queues' }),
      p('qq', '^', 4, {}, { 'apply-to': 'quorum_queues' }),
    ];
    expect(effectivePolicy({ vhost: '/', name: 'q' }, policies, CLASSIC_310).winner?.name).toBe('cq');
    expect(effectivePolicy({ vhost: '/', name: 'q' }, policies, QUORUM).winner?.name).toBe('qq');
  });

  test('a policy holding a key the queue type does not support is skipped whole, so a lower one wins', () => {
    // 3.10 classic queues skip policies with delivery-limit; quorum queues skip ones with ha-mode or queue-mode
    const policies = [
      p('qq-only', '^', 9, { 'delivery-limit': 3 }),
      p('ha', '^', 5, { 'ha-mode': 'all', 'max-length': 1 }),
      p('base', '^', 0, { 'message-ttl': 1 }),
    ];
    expect(effectivePolicy({ vhost: '/', name: 'q' }, policies, CLASSIC_310).winner?.name).toBe('ha');
    expect(effectivePolicy({ vhost: '/', name: 'q' }, policies, QUORUM).winner?.name).toBe('qq-only');
    expect(effectivePolicy({ vhost: '/', name: 'q' }, policies.slice(1), QUORUM).winner?.name).toBe('base');
  });

  test('3.9 classic queues still took delivery-limit policies; 3.12 also skip max-in-memory-length', () => {
    expect(classicUnsupportedPolicyKeys3x(9).has('delivery-limit')).toBe(false);
    expect(classicUnsupportedPolicyKeys3x(12).has('max-in-memory-length')).toBe(true);
    expect(classicUnsupportedPolicyKeys3x(11).has('max-in-memory-length')).toBe(false);
  });

  test('equal priorities: ties are returned, the winner is the first by name', () => {
    const m = effectivePolicy({ vhost: '/', name: 'q' }, [p('zeta', '^', 1, {}), p('alpha', 'q', 1, {}), p('low', '^', 0, {})], CLASSIC_310);
    expect(m.winner?.name).toBe('alpha');
    expect(m.tiedWith.map((t) => t.name)).toEqual(['zeta']);
  });
});

describe('patterns (Erlang re, PCRE) read as JavaScript', () => {
  test('unanchored search, as re:run', () => {
    expect(matchesName('orders', 'eu.orders.in')).toBe(true);
    expect(matchesName('^orders$', 'orders.in')).toBe(false);
    expect(matchesName('^(jobs|tasks)$', 'tasks')).toBe(true);
    expect(matchesName('^orders\\.', 'ordersXin')).toBe(false);
    expect(matchesName('', 'anything')).toBe(true);
  });

  test('\\A, \\Z, \\z and a leading (?i) are translated', () => {
    expect(matchesName('\\Aorders\\z', 'orders')).toBe(true);
    expect(matchesName('\\Aorders\\Z', 'orders.in')).toBe(false);
    expect(matchesName('(?i)^ORDERS', 'orders.in')).toBe(true);
  });

  test('PCRE-only syntax is refused with a reason, never read differently', () => {
    for (const [pattern, reason] of [
      ['a++', /possessive/],
      ['(?>a)', /group "\(\?>"/],
      ['\\Qa.b\\E', /\\Q/],
      ['[[:alpha:]]', /POSIX/],
      ['[]a]', /"]"/],
      ['\\p{L}', /\\p/],
      ['(', /not a regular expression JavaScript reads/],
    ] as const) {
      expect(patternProblem(pattern)).toMatch(reason);
      expect(matchesName(pattern, 'a')).toBe(false);
    }
  });

  test('common JavaScript-compatible constructs pass: lazy quantifiers, lookahead, named groups, classes', () => {
    for (const pattern of ['^a+?b', 'x(?=y)', '(?<q>a)', '^[a-z0-9_.-]+$', '^(?:ha|mirror)\\.', '\\d{2,}', 'a*?'])
      expect(toJsRegExp(pattern)).toBeInstanceOf(RegExp);
  });
});
