import { InvalidArgumentError, RefusedError } from '../errors.js';
import { expectPositionals, readArgv } from '../args/argv.js';
import { clusterServices } from '../ops-tools.js';
import { countDefinitions, Definitions, type DEFINITION_KINDS } from '../../contract/definitions.js';
import { importDefinitions } from '../rabbit/definitions.js';
import { observeCluster, runningNodes } from '../rabbit/observe-cluster.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { readBackup } from '../backup/backups-folder.js';
import { step } from '../steps/step.js';

export interface RestoreData {
  file: string;
  counts: Record<(typeof DEFINITION_KINDS)[number], number>;
}

/**
 * Import a backup's definitions (import_definitions): what is missing comes back, what differs is
 * set to the backup's values (a user's password hash, a policy), nothing is deleted. The file is
 * read and checked before anything is sent.
 */
export const restoreAction = defineAction<{ name: string }, RestoreData>(CATALOG.restore, {
  parse(argv) {
    const [name] = expectPositionals(readArgv(argv, {}, CATALOG.restore.usage), 1, 1, CATALOG.restore.usage);
    return { name: name! };
  },
  async run(ctx, { name }) {
    const { file, text } = await readBackup(ctx.cluster.dir, name);
    let definitions: Definitions;
    try {
      definitions = Definitions.parse(JSON.parse(text));
    } catch {
      throw new InvalidArgumentError(`${file} is not a definitions export (JSON with users, vhosts, queues…); nothing was imported`);
    }
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const node = runningNodes(await observeCluster(s), ctx.cluster.manifest.nodes)[0];
    if (!node) throw new RefusedError('no node is running: nothing to import definitions into (rmq-compose status says why)');
    await step(ctx, 'import', `import_definitions ${file} on ${node.name}`, () => importDefinitions(s.compose, node, definitions));
    const counts = countDefinitions(definitions);
    return {
      ok: true,
      headline: `${ctx.cluster.manifest.name}: definitions from ${file} imported`,
      text: `${Object.entries(counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}; nothing that is not in the file was removed`,
      data: { file, counts },
    };
  },
});
