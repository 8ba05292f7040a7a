import { quorumArguments } from '../../../../ops/migration/quorum-arguments.js';

const V40 = { major: 4, minor: 0 };

describe('quorumArguments', () => {
  test('quorum-compatible arguments stay; x-queue-type becomes quorum', () => {
    const args = {
      'x-queue-type': 'classic',
      'x-message-ttl': 1000,
      'x-max-length': 5,
      'x-max-length-bytes': 1024,
      'x-dead-letter-exchange': 'dlx',
      'x-dead-letter-routing-key': 'dead',
      'x-single-active-consumer': true,
      'x-delivery-limit': 3,
      'x-overflow': 'drop-head',
    };
    const r = quorumArguments(args, V40);
    expect(r.arguments).toEqual({ ...args, 'x-queue-type': 'quorum' });
    expect(r.changes).toEqual([]);
  });

  test('classic-only arguments are dropped: priority (semantic), lazy mode, queue version', () => {
    const r = quorumArguments({ 'x-max-priority': 5, 'x-queue-mode': 'lazy', 'x-queue-version': 2 }, V40);
    expect(r.arguments).toEqual({ 'x-queue-type': 'quorum' });
    expect(r.changes.map((c) => [c.key, c.action, c.semantic])).toEqual([
      ['x-max-priority', 'dropped', true],
      ['x-queue-mode', 'dropped', false],
      ['x-queue-version', 'dropped', false],
    ]);
  });

  test('master locators map to leader locators: client-local stays, min-masters and random become balanced', () => {
    expect(quorumArguments({ 'x-queue-master-locator': 'client-local' }, V40).arguments['x-queue-leader-locator']).toBe('client-local');
    expect(quorumArguments({ 'x-queue-master-locator': 'min-masters' }, V40).arguments['x-queue-leader-locator']).toBe('balanced');
    expect(quorumArguments({ 'x-queue-master-locator': 'random' }, V40).arguments['x-queue-leader-locator']).toBe('balanced');
  });

  test('an unknown master locator is dropped (semantic); an explicit leader locator wins over a mapped one', () => {
    const unknown = quorumArguments({ 'x-queue-master-locator': 'nearest' }, V40);
    expect(unknown.arguments).toEqual({ 'x-queue-type': 'quorum' });
    expect(unknown.changes[0]).toMatchObject({ action: 'dropped', semantic: true });
    const both = quorumArguments({ 'x-queue-master-locator': 'min-masters', 'x-queue-leader-locator': 'client-local' }, V40);
    expect(both.arguments['x-queue-leader-locator']).toBe('client-local');
  });

  test('x-overflow reject-publish-dlx → reject-publish; reject-publish and drop-head are kept', () => {
    expect(quorumArguments({ 'x-overflow': 'reject-publish-dlx' }, V40).arguments['x-overflow']).toBe('reject-publish');
    expect(quorumArguments({ 'x-overflow': 'reject-publish' }, V40).changes).toEqual([]);
  });

  test('x-ha-* (never real arguments) and stream arguments are dropped; unknown ones kept and named', () => {
    const r = quorumArguments({ 'x-ha-policy': 'all', 'x-max-age': '1D', 'x-app-owner': 'billing' }, V40);
    expect(r.arguments).toEqual({ 'x-app-owner': 'billing', 'x-queue-type': 'quorum' });
    expect(r.changes.map((c) => [c.key, c.action])).toEqual([
      ['x-ha-policy', 'dropped'],
      ['x-max-age', 'dropped'],
      ['x-app-owner', 'kept'],
    ]);
  });

  test('x-expires is kept, with the lease caveat of quorum queues', () => {
    expect(quorumArguments({ 'x-expires': 60000 }, V40).changes).toEqual([expect.objectContaining({ key: 'x-expires', action: 'kept', semantic: true })]);
  });

  test('the input is not modified', () => {
    const args = { 'x-max-priority': 5 };
    quorumArguments(args, V40);
    expect(args).toEqual({ 'x-max-priority': 5 });
  });
});
