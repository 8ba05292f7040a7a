import { z } from 'zod';

/**
 * The entries of a definitions export the migration reads, as `rabbitmqctl export_definitions`
 * writes them (rabbit_definitions.erl, v3.10.8: queue_definition, policy_definition,
 * runtime_parameter_definition). Loose: keys not named here are kept as they are. Defaults are
 * the ones the import applies (rabbit_definitions.erl v4.0.5 add_queue_int: durable true,
 * auto_delete false, exclusive false; rabbit_policy: apply-to "all", priority 0).
 */

const Arguments = z.record(z.string(), z.unknown());

export const QueueEntry = z.looseObject({
  name: z.string(),
  vhost: z.string(),
  durable: z.boolean().default(true),
  auto_delete: z.boolean().default(false),
  /** Exports leave exclusive queues out (they cannot be restored); other sources may not. */
  exclusive: z.boolean().default(false),
  /** "classic", "quorum", "stream" (3.9+ exports); older ones only have x-queue-type, if anything. */
  type: z.string().optional(),
  arguments: Arguments.default({}),
});
export type QueueEntry = z.infer<typeof QueueEntry>;

export const PolicyEntry = z.looseObject({
  vhost: z.string(),
  name: z.string(),
  pattern: z.string(),
  'apply-to': z.string().default('all'),
  priority: z.number().default(0),
  definition: Arguments,
});
export type PolicyEntry = z.infer<typeof PolicyEntry>;

export const ParameterEntry = z.looseObject({
  vhost: z.string(),
  component: z.string(),
  name: z.string(),
  value: z.unknown(),
});
export type ParameterEntry = z.infer<typeof ParameterEntry>;

export const GlobalParameterEntry = z.looseObject({ name: z.string(), value: z.unknown() });
export type GlobalParameterEntry = z.infer<typeof GlobalParameterEntry>;

/** A queue's type as RabbitMQ decides it: x-queue-type first, then the export's `type`, else classic. */
export function queueTypeOf(q: Pick<QueueEntry, 'type' | 'arguments'>): string {
  const fromArgument = q.arguments['x-queue-type'];
  if (typeof fromArgument === 'string' && fromArgument !== '') return fromArgument;
  return q.type ?? 'classic';
}
