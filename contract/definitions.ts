import { z } from 'zod';

/**
 * A RabbitMQ definitions export as `rabbitmqctl export_definitions` writes it (users with
 * password hashes, vhosts, permissions, queues, exchanges, bindings, policies, parameters). Only
 * the shape is held here: RabbitMQ checks the rest on import. Extra keys are kept, so a file read
 * and written again loses nothing. Shared: ops backs up and restores such files, the generator
 * reads one from the spec (`rabbitmq.definitions`) for the nodes to import at boot.
 */
const list = z.array(z.looseObject({})).optional();

export const Definitions = z.looseObject({
  rabbit_version: z.string().optional(),
  rabbitmq_version: z.string().optional(),
  users: list,
  vhosts: list,
  permissions: list,
  topic_permissions: list,
  parameters: list,
  global_parameters: list,
  policies: list,
  queues: list,
  exchanges: list,
  bindings: list,
});
export type Definitions = z.infer<typeof Definitions>;

/** The lists people count in a definitions file (backup, restore, validate say these). */
export const DEFINITION_KINDS = ['users', 'vhosts', 'permissions', 'policies', 'queues', 'exchanges', 'bindings'] as const;

export function countDefinitions(d: Definitions): Record<(typeof DEFINITION_KINDS)[number], number> {
  return Object.fromEntries(DEFINITION_KINDS.map((k) => [k, d[k]?.length ?? 0])) as Record<(typeof DEFINITION_KINDS)[number], number>;
}
