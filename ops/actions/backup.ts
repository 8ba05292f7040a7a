import { join } from 'node:path';
import { BACKUPS_DIR } from '../../contract/cluster-files.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { countDefinitions, type DEFINITION_KINDS } from '../../contract/definitions.js';
import { exportDefinitions } from '../rabbit/definitions.js';
import { observeCluster, runningNodes } from '../rabbit/observe-cluster.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from './action.js';
import { parseNoArguments } from './argument-shapes.js';
import { backupsFolder } from './backups-folder.js';
import { step } from './step.js';

export interface BackupData {
  /** Relative to the cluster folder, e.g. backups/definitions-20261128T101500Z.json */
  file: string;
  bytes: number;
  counts: Record<(typeof DEFINITION_KINDS)[number], number>;
}

/**
 * The cluster's definitions (users with their password hashes, vhosts, permissions, queues,
 * exchanges, bindings, policies) to a timestamped file in the cluster folder, mode 0600,
 * written atomically. Messages are not part of it.
 */
export const backupAction = defineAction<Record<string, never>, BackupData>(CATALOG.backup, {
  parse: (argv) => parseNoArguments(argv, 'backup'),
  async run(ctx) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const node = runningNodes(await observeCluster(s), ctx.cluster.manifest.nodes)[0];
    if (!node) throw new RefusedError('no node is running: nothing to export definitions from (rmq-compose status says why)');
    const { json, definitions } = await step(ctx, 'export', `export_definitions on ${node.name}`, () => exportDefinitions(s.compose, node));
    const folder = await backupsFolder(ctx.cluster.dir);
    const name = `definitions-${new Date(ctx.tools?.now?.() ?? Date.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`;
    await step(ctx, 'write', `write ${BACKUPS_DIR}/${name} (0600)`, () => writeFileAtomic(join(folder, name), json, 0o600));
    const counts = countDefinitions(definitions);
    const file = `${BACKUPS_DIR}/${name}`;
    return {
      ok: true,
      headline: `${ctx.cluster.manifest.name}: definitions saved to ${file}`,
      text: `${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')} (${json.length} bytes; holds password hashes: keep it private)`,
      data: { file, bytes: json.length, counts },
    };
  },
});
