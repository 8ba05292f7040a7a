import type { PolicyEntry } from './definition-entries.js';
import { leaderLocatorFor } from './queue-type-facts.js';

/** One key of a policy's definition removed or rewritten for green. */
export interface PolicyKeyChange {
  key: string;
  action: 'dropped' | 'replaced' | 'changed';
  from: unknown;
  to?: unknown;
  toKey?: string;
  why: string;
}

/**
 * A 3.x policy as 4.x takes it: the classic mirroring keys (ha-mode, ha-params, ha-sync-mode,
 * ha-sync-batch-size, ha-promote-on-shutdown, ha-promote-on-failure: every "ha-" key 3.x
 * validates, rabbit_mirror_queue_misc.erl 3.10.8) go (4.0 has no validator for them, so
 * the import would refuse the policy, and a quorum queue ignores any policy holding one:
 * queue-type-facts.ts [POL]); `queue-master-locator` becomes `queue-leader-locator`
 * (docs/quorum-queues "Queue Leader Location", 4.0: client-local or balanced); `queue-mode` goes
 * (docs/lazy-queues, 4.0: "This setting is now ignored"; it also keeps a policy off quorum
 * queues). A policy left with nothing is removed: "it is not possible to import empty policies"
 * (rabbitmq.com blog, 2025-07-29, "Migrating from Classic Mirrored Queues to Quorum Queues").
 * `apply-to`, pattern and priority stay. Pure.
 */
export function policyForGreen(policy: PolicyEntry): { policy: PolicyEntry | undefined; changes: PolicyKeyChange[] } {
  const definition: Record<string, unknown> = {};
  const changes: PolicyKeyChange[] = [];
  for (const [key, value] of Object.entries(policy.definition)) {
    if (key.startsWith('ha-')) {
      changes.push({ key, action: 'dropped', from: value, why: 'classic mirroring is gone in 4.0' });
    } else if (key === 'queue-mode') {
      changes.push({ key, action: 'dropped', from: value, why: 'lazy mode is gone; quorum queues ignore a policy holding it' });
    } else if (key === 'queue-master-locator') {
      const locator = leaderLocatorFor(value);
      if (locator !== undefined && policy.definition['queue-leader-locator'] === undefined) {
        definition['queue-leader-locator'] = locator;
        changes.push({
          key,
          action: 'replaced',
          from: value,
          toKey: 'queue-leader-locator',
          to: locator,
          why: 'deprecated; quorum queues ignore a policy holding it',
        });
      } else {
        changes.push({
          key,
          action: 'dropped',
          from: value,
          why: locator === undefined ? `no leader locator matches ${JSON.stringify(value)}` : 'queue-leader-locator is already set',
        });
      }
    } else {
      definition[key] = value;
    }
  }
  if (Object.keys(definition).length === 0) return { policy: undefined, changes };
  return { policy: changes.length === 0 ? policy : { ...policy, definition }, changes };
}

/**
 * `overflow: reject-publish-dlx` in a policy that now governs quorum queues: they do not support
 * it and fall back to drop-head (rabbit_quorum_queue.erl `overflow/3`), losing the oldest
 * messages where the classic queue refused new ones. reject-publish keeps the refusal.
 */
export function withoutRejectPublishDlx(policy: PolicyEntry): { policy: PolicyEntry; change: PolicyKeyChange | undefined } {
  if (policy.definition.overflow !== 'reject-publish-dlx') return { policy, change: undefined };
  return {
    policy: { ...policy, definition: { ...policy.definition, overflow: 'reject-publish' } },
    change: {
      key: 'overflow',
      action: 'changed',
      from: 'reject-publish-dlx',
      to: 'reject-publish',
      why: 'quorum queues would fall back to drop-head; refused publishes are no longer dead-lettered',
    },
  };
}
