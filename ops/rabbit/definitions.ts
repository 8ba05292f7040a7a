import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { CommandFailedError } from '../runner/command-failed-error.js';

type Node = ClusterManifest['nodes'][number];

const list = z.array(z.looseObject({})).optional();

/**
 * A definitions export as RabbitMQ writes it (users with password hashes, vhosts, permissions,
 * queues, exchanges, bindings, policies, parameters). Only the shape is held here: RabbitMQ
 * checks the rest on import. Extra keys are kept, so a restore gives back everything exported.
 */
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

export const DEFINITION_KINDS = ['users', 'vhosts', 'permissions', 'policies', 'queues', 'exchanges', 'bindings'] as const;

export function countDefinitions(d: Definitions): Record<(typeof DEFINITION_KINDS)[number], number> {
  return Object.fromEntries(DEFINITION_KINDS.map((k) => [k, d[k]?.length ?? 0])) as Record<(typeof DEFINITION_KINDS)[number], number>;
}

/**
 * `rabbitmqctl export_definitions -` (3.8.2+): the whole cluster's definitions on stdout, through
 * the same docker exec (and ssh) as every other action, so no management port needs to be
 * reachable from here.
 */
export async function exportDefinitions(compose: ComposeClient, node: Node): Promise<{ json: string; definitions: Definitions }> {
  const r = await compose.exec(node.service, ['rabbitmqctl', '-q', 'export_definitions', '-', '--format', 'json'], 120_000);
  if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `export_definitions (${node.name})`);
  const start = r.stdout.indexOf('{');
  const definitions = Definitions.parse(JSON.parse(start >= 0 ? r.stdout.slice(start) : r.stdout));
  return { json: `${JSON.stringify(definitions, null, 2)}\n`, definitions };
}

/**
 * `rabbitmqctl import_definitions <file>`: adds and updates, deletes nothing. Its usage names "-"
 * for stdin, but 4.0.5 answers "File - does not exist": the JSON goes into the container first,
 * as a 0600 file (it holds password hashes), and is removed whatever happens.
 */
export async function importDefinitions(compose: ComposeClient, node: Node, definitions: Definitions): Promise<void> {
  const file = `/tmp/rmq-compose-definitions-${randomBytes(6).toString('hex')}.json`;
  const copy = await compose.execWithInput(node.service, ['install', '-m', '0600', '/dev/stdin', file], JSON.stringify(definitions), 60_000);
  if (copy.exitCode !== 0 || copy.timedOut) throw new CommandFailedError(copy, `copying the definitions into ${node.name}`);
  try {
    const r = await compose.exec(node.service, ['rabbitmqctl', '-q', 'import_definitions', file, '--format', 'json'], 300_000);
    if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `import_definitions (${node.name})`);
  } finally {
    await compose.exec(node.service, ['rm', '-f', file], 30_000);
  }
}
