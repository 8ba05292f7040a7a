/**
 * What RabbitMQ does with queue arguments and policy keys per queue type, as the migration needs
 * it. Data only; every list names where it was read.
 *
 * Sources (rabbitmq/rabbitmq-website snapshot of 2026-08-21, rabbitmq/rabbitmq-server tags):
 * [QQ]   docs/quorum-queues (versioned_docs/version-4.0 and version-4.3 quorum-queues/index.md):
 *        "Feature Matrix", "Policy Support", "Priorities", "Queue Leader Location".
 * [CAP]  rabbitmq-server deps/rabbit/src/rabbit_quorum_queue.erl and rabbit_classic_queue.erl,
 *        `capabilities()` at v3.10.8, v3.12.14, v3.13.7, v4.0.5, v4.3.5: `queue_arguments` (what
 *        a declaration of that type accepts) and `unsupported_policies`.
 * [DECL] rabbit_amqqueue.erl v4.0.5 `check_declare_arguments`: an argument that some queue type
 *        knows but the declared type does not is refused ("invalid arg … of queue type"); one no
 *        type knows (a custom x-foo) passes. Definitions import declares through it.
 * [POL]  rabbit_policy.erl (`match_all`, `is_applicable`) and rabbit_queue_type.erl
 *        `is_policy_applicable`: a policy holding ANY key of the queue type's
 *        `unsupported_policies` does not apply to that queue at all; the next policy may win.
 * [LOC]  rabbit_queue_location.erl v4.0.5 `leader_locator0`: "min-masters", "random" and
 *        "least-leaders" are read as "balanced"; the supported values are client-local, balanced.
 */

/** Arguments a quorum queue accepts [CAP] (4.0.5; 4.3.5 adds the consumer-timeout and delayed-retry ones). */
export const QUORUM_ARGUMENTS: ReadonlySet<string> = new Set([
  'x-dead-letter-exchange',
  'x-dead-letter-routing-key',
  'x-dead-letter-strategy',
  'x-expires',
  'x-max-length',
  'x-max-length-bytes',
  'x-max-in-memory-length',
  'x-max-in-memory-bytes',
  'x-overflow',
  'x-single-active-consumer',
  'x-queue-type',
  'x-quorum-initial-group-size',
  'x-delivery-limit',
  'x-message-ttl',
  'x-queue-leader-locator',
  'x-consumer-disconnected-timeout',
  'x-consumer-timeout',
  'x-delayed-retry-type',
  'x-delayed-retry-min',
  'x-delayed-retry-max',
]);

/**
 * Policy keys that make a whole policy inapplicable to a queue of the type [POL], from
 * `unsupported_policies` [CAP]. The 4.x lists are the union of 4.0.5 and 4.3.5 (the only
 * difference, single-active-consumer vs the JMS selector keys, cannot be in a 3.x export).
 */
const STREAM_POLICY_KEYS = ['max-age', 'stream-max-segment-size-bytes', 'initial-cluster-size'];
const JMS_POLICY_KEYS = ['selector-fields', 'selector-field-max-bytes'];
export const QUORUM_UNSUPPORTED_POLICY_KEYS: ReadonlySet<string> = new Set([
  'max-priority',
  'queue-mode',
  'single-active-consumer',
  // not ha-sync-batch-size: the lists never named it
  'ha-mode',
  'ha-params',
  'ha-sync-mode',
  'ha-promote-on-shutdown',
  'ha-promote-on-failure',
  'queue-master-locator',
  ...STREAM_POLICY_KEYS,
  ...JMS_POLICY_KEYS,
]);
export const CLASSIC_UNSUPPORTED_POLICY_KEYS_4X: ReadonlySet<string> = new Set([
  ...STREAM_POLICY_KEYS,
  'delivery-limit',
  'dead-letter-strategy',
  'max-in-memory-length',
  'max-in-memory-bytes',
  'target-group-size',
  ...JMS_POLICY_KEYS,
]);

/** The same list on the blue 3.x side, which grew with the versions [CAP]. */
export function classicUnsupportedPolicyKeys3x(minor: number): ReadonlySet<string> {
  // 3.8 had no queue-type capabilities: every policy applied to classic queues
  if (minor < 9) return new Set();
  const keys = [...STREAM_POLICY_KEYS, 'queue-leader-locator'];
  if (minor >= 10) keys.push('delivery-limit', 'dead-letter-strategy');
  if (minor >= 12) keys.push('max-in-memory-length', 'max-in-memory-bytes', 'target-group-size');
  return new Set(keys);
}

/**
 * Keys a quorum queue does not act on though they leave the policy applicable: classic-only
 * settings (queue-version) and the in-memory limits 4.0 stopped using ([CAP] 4.3.5: "in-memory
 * arguments are not used anymore").
 */
export const QUORUM_IGNORED_POLICY_KEYS: ReadonlySet<string> = new Set(['queue-version', 'max-in-memory-length', 'max-in-memory-bytes']);

/** 3.x master locators → 4.x leader locators [LOC]; an unknown value has no mapping. */
export function leaderLocatorFor(masterLocator: unknown): 'client-local' | 'balanced' | undefined {
  if (masterLocator === 'client-local') return 'client-local';
  if (masterLocator === 'min-masters' || masterLocator === 'random' || masterLocator === 'least-leaders') return 'balanced';
  return undefined;
}

/**
 * What a classic queue's x-max-priority becomes on a quorum queue [QQ]: 4.0 to 4.2 "only support
 * two priorities: high and normal" (0–4 normal, above 4 high, delivered 2:1); 4.3 has "strict
 * priority support with 32 priority levels (0-31)", always on, "Messages without a priority
 * property are treated as priority 4 (classic queues default to 0)".
 */
export function quorumPriorityNote(green: { major: number; minor: number }): string {
  if (green.major > 4 || (green.major === 4 && green.minor >= 3)) {
    return 'quorum queues on 4.3+ always have strict priorities 0–31; a message without a priority counts as 4 (on a classic queue: 0)';
  }
  return 'quorum queues on 4.0–4.2 have only two priorities: 0–4 normal, 5 and above high, delivered 2:1, not strictly';
}

/** [QQ] 4.0: "Starting with RabbitMQ 4.0, the delivery limit for quorum queues defaults to 20." */
export const QUORUM_DEFAULT_DELIVERY_LIMIT = 20;

/** Runtime-parameter components and the plugin that must be enabled on green before the import (else "component … not found"). */
export const PARAMETER_PLUGINS: Readonly<Record<string, string>> = {
  shovel: 'rabbitmq_shovel',
  'federation-upstream': 'rabbitmq_federation',
  'federation-upstream-set': 'rabbitmq_federation',
};
