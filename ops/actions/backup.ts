import { join } from 'node:path';
import { BACKUPS_DIR } from '../../contract/cluster-files.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { systemClock } from '../../lib/clock.js';
import { RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { countDefinitions, type DEFINITION_KINDS } from '../../contract/definitions.js';
import { exportDefinitions } from '../rabbit/definitions.js';
import { observeCluster, runningNodes } from '../rabbit/observe-cluster.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { expectPositionals, readArgv } from '../args/argv.js';
import { intArg } from '../args/validators.js';
import { DEFAULT_KEEP, pruneBackups } from '../backup/backup-prune.js';
import { backupsFolder } from '../backup/backups-folder.js';
import { step } from '../steps/step.js';

export interface BackupData {
  /** Relative to the cluster folder, e.g. backups/definitions-20261128T101500Z.json */
  file: string;
  bytes: number;
  counts: Record<(typeof DEFINITION_KINDS)[number], number>;
  /** Older backups removed to keep `keep` (relative to the cluster folder, oldest first). */
  removed: string[];
  keep: number;
}

const USAGE = CATALOG.backup.usage;

/**
 * The cluster's definitions (users with their password hashes, vhosts, permissions, queues,
 * exchanges, bindings, policies) to a timestamped file in the cluster folder, mode 0600,
 * written atomically; then only the `--keep` newest backups stay. Messages are not part of it.
 * Mutating in the catalog although the cluster is untouched: it writes secrets to disk and
 * removes old backups, so it takes the lock and the bot's stricter rule.
 */
export const backupAction = defineAction<{ keep: number }, BackupData>(CATALOG.backup, {
  parse(argv) {
    const p = readArgv(argv, { keep: 'value' }, USAGE);
    expectPositionals(p, 0, 0, USAGE);
    const keep = p.flags.get('keep');
    return { keep: keep === undefined ? DEFAULT_KEEP : intArg(String(keep), '--keep (how many backups to keep)', 1, 1000) };
  },
  async run(ctx, { keep }) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const node = runningNodes(await observeCluster(s), ctx.cluster.manifest.nodes)[0];
    if (!node) throw new RefusedError('no node is running: nothing to export definitions from (rmq-compose status says why)');
    const { json, definitions } = await step(ctx, 'export', `export_definitions on ${node.name}`, () => exportDefinitions(s.compose, node));
    const folder = await backupsFolder(ctx.cluster.dir);
    const name = `definitions-${new Date((ctx.tools?.now ?? systemClock)())
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}.json`;
    await step(ctx, 'write', `write ${BACKUPS_DIR}/${name} (0600)`, () => writeFileAtomic(join(folder, name), json, 0o600));
    // only once the new one is safely written: a failed backup removes nothing
    const removed = (await step(ctx, 'prune', `keep the ${keep} newest backups`, () => pruneBackups(folder, name, keep))).map((n) => `${BACKUPS_DIR}/${n}`);
    const counts = countDefinitions(definitions);
    const file = `${BACKUPS_DIR}/${name}`;
    return {
      ok: true,
      headline: `${ctx.cluster.manifest.name}: definitions saved to ${file}`,
      text: [
        `${Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')} (${json.length} bytes; holds password hashes: keep it private)`,
        removed.length
          ? `removed ${removed.length} older backup${removed.length === 1 ? '' : 's'} to keep the ${keep} newest (--keep N to change): ${removed.join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
      data: { file, bytes: json.length, counts, removed, keep },
    };
  },
});
