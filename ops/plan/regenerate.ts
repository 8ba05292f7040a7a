import { basename, dirname, join, resolve } from 'node:path';
import { ENV_FILE, MANIFEST_FILE } from '../../contract/cluster-files.js';
import { describeChanges, fileRows, prepareGeneration, type ClusterPlan, type FileChange, type PreparedGeneration } from '../../generator/index.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';
import { sha256, type PlannedFile } from './action-plan.js';

/** Options of the generator an action may add: certificates to issue again (rotate-certs). */
type Extra = Pick<Parameters<typeof prepareGeneration>[1], 'renewTls'>;

/**
 * The cluster folder generated again from `text` (the spec at `specPath`, recorded in the
 * manifest as `specRelative`), exactly as `rmq-compose gen` would (the spec's files read beside
 * it, the secrets from the environment or .env), made once as a value: `files` and `inputs` go
 * into the action's plan, `write()` writes exactly it. Refused here, before any node is touched,
 * where the write would refuse: a spec that now names another folder, files edited by hand.
 */
export interface Regeneration {
  plan: ClusterPlan;
  /** What changes, relative to the cluster folder, in the generator's order. */
  files: PlannedFile[];
  /** The files the plan was made from: the spec, .env, every generated file it compares. */
  inputs: string[];
  /** The diff of what changes, private files (keys, password hashes) only named. */
  diff: string;
  /** Writes exactly this plan (compared with the disk again); returns the changed paths. */
  write(): Promise<string[]>;
}

/** `now`: the action's clock (certificates' dates, the support warning), never the wall clock. */
export async function planRegeneration(
  cluster: ClusterHandle,
  specPath: string,
  specRelative: string,
  text: string,
  now: Date,
  extra: Extra = {},
): Promise<Regeneration> {
  const prepared = await prepareGeneration(
    { text, name: basename(specPath), dir: dirname(specPath) },
    { outDir: dirname(cluster.dir), env: process.env, specFileFrom: () => specRelative, now, ...extra },
  );
  const { preview, plan } = prepared;
  if (resolve(preview.clusterDir) !== resolve(cluster.dir))
    throw new RefusedError(
      `${specPath} now describes cluster "${plan.model.name}" (folder ${preview.clusterDir}), not the one in ${cluster.dir}; nothing was changed`,
    );
  // refused where the write would be: an action's pre-check must not pass a folder its own
  // write then refuses halfway through (a node already upgraded, say)
  if (preview.handEdited.length > 0) {
    const files = preview.handEdited.map((h) => `${h.path} (${h.why === 'edited' ? `+${h.added} −${h.removed} since gen wrote it` : 'not written by gen'})`);
    throw new RefusedError(
      `${preview.clusterDir} has files edited by hand: ${files.join(', ')}; move the change into the spec, or run \`rmq-compose gen --force\` first (it keeps each edited file aside), then run this again`,
    );
  }
  const changed = preview.changes.filter((c) => c.kind !== 'unchanged');
  return {
    plan,
    files: plannedFiles(changed, (plan.tlsIssued ?? []).length > 0),
    inputs: [specPath, join(cluster.dir, ENV_FILE), ...preview.changes.map((c) => join(cluster.dir, c.file.path))],
    diff: describeChanges(changed.filter((c) => !isCertificateFile(c.file.path))),
    write: () => writeExactly(prepared),
  };
}

async function writeExactly(prepared: PreparedGeneration): Promise<string[]> {
  const result = await prepared.write();
  return result.changes.filter((c) => c.kind !== 'unchanged').map((c) => c.file.path);
}

function plannedFiles(changed: FileChange[], issuesCertificates: boolean): PlannedFile[] {
  const rows = fileRows(changed);
  return changed.map((c, i) => {
    const row = rows[i]!;
    // new keys differ every time they are made, and so do the manifest's record of their hashes
    // and a private file that carries them inline (a machine's compose file with configs:)
    const fresh = issuesCertificates && (isCertificateFile(c.file.path) || c.file.path === MANIFEST_FILE || (c.file.mode & 0o077) === 0);
    return {
      path: row.path,
      change: row.change === 'unchanged' ? 'updated' : row.change,
      added: row.added,
      removed: row.removed,
      after: c.kind === 'remove' || fresh ? null : sha256(c.file.contents),
    };
  });
}

/** A certificate or key file (tls/ of the cluster or of a machine's folder): its diff is noise, its key never shown. */
function isCertificateFile(path: string): boolean {
  return /(^|\/)tls\//.test(path);
}
