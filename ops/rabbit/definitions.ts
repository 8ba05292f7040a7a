import { randomBytes } from 'node:crypto';
import { Definitions } from '../../contract/definitions.js';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { CommandFailedError } from '../runner/command-failed-error.js';

type Node = ClusterManifest['nodes'][number];

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
