import type { PolicyEntry } from '../../../../ops/migration/definition-entries.js';
import { policyForGreen, withoutRejectPublishDlx } from '../../../../ops/migration/transform-policies.js';

const p = (definition: Record<string, unknown>): PolicyEntry => ({ vhost: '/', name: 'p', pattern: '^', 'apply-to': 'queues', priority: 2, definition });

describe('policyForGreen', () => {
  test('all six classic mirroring keys go; a policy holding only them is removed', () => {
    const r = policyForGreen(
      p({
        'ha-mode': 'exactly',
        'ha-params': 2,
        'ha-sync-mode': 'automatic',
        'ha-sync-batch-size': 100,
        'ha-promote-on-shutdown': 'always',
        'ha-promote-on-failure': 'when-synced',
      }),
    );
    expect(r.policy).toBeUndefined();
    expect(r.changes.map((c) => c.key)).toEqual([
      'ha-mode',
      'ha-params',
      'ha-sync-mode',
      'ha-sync-batch-size',
      'ha-promote-on-shutdown',
      'ha-promote-on-failure',
    ]);
  });

  test('other keys stay, with name, pattern, apply-to and priority', () => {
    const r = policyForGreen(p({ 'ha-mode': 'all', 'max-length-bytes': 1e6, 'dead-letter-exchange': 'dlx' }));
    expect(r.policy).toEqual({
      vhost: '/',
      name: 'p',
      pattern: '^',
      'apply-to': 'queues',
      priority: 2,
      definition: { 'max-length-bytes': 1e6, 'dead-letter-exchange': 'dlx' },
    });
  });

  test('queue-master-locator → queue-leader-locator (min-masters → balanced); an existing leader locator is kept', () => {
    expect(policyForGreen(p({ 'queue-master-locator': 'min-masters' })).policy?.definition).toEqual({ 'queue-leader-locator': 'balanced' });
    expect(policyForGreen(p({ 'queue-master-locator': 'client-local', 'queue-leader-locator': 'balanced' })).policy?.definition).toEqual({
      'queue-leader-locator': 'balanced',
    });
  });

  test('queue-mode goes', () => {
    expect(policyForGreen(p({ 'queue-mode': 'lazy', 'message-ttl': 5 })).policy?.definition).toEqual({ 'message-ttl': 5 });
  });

  test('a policy with nothing to change is returned as it is', () => {
    const policy = p({ 'message-ttl': 5 });
    expect(policyForGreen(policy)).toEqual({ policy, changes: [] });
    expect(policyForGreen(policy).policy).toBe(policy);
  });
});

describe('withoutRejectPublishDlx', () => {
  test('reject-publish-dlx → reject-publish; anything else unchanged', () => {
    expect(withoutRejectPublishDlx(p({ overflow: 'reject-publish-dlx' })).policy.definition).toEqual({ overflow: 'reject-publish' });
    expect(withoutRejectPublishDlx(p({ overflow: 'drop-head' })).change).toBeUndefined();
  });
});
