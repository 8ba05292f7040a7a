import { chmod, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { SpecError } from '../lib/errors.js';
import type { ClusterPlan } from './plan.js';
import { formatFinding, type Finding } from '../lib/findings.js';
import { compareWithDisk, staleChanges, staleCandidates, type FileChange } from './write/disk-state.js';
import { refuseUnsafePaths } from './write/path-safety.js';
import { ENV_FILE, MANIFEST_FILE } from '../contract/cluster-files.js';
import { appendToEnvFile, EnvValueError } from '../contract/env-file.js';
import type { SecretResolution } from './write/secrets.js';
import { readSecretState, type SecretState } from './write/secret-state.js';
import { isPrivate } from './render/rendered-file.js';
import { escapeControlCharacters } from './render/escape-control-characters.js';
import { readGenRecord, recordPaths, withRecord, writeGenRecord } from './write/gen-record.js';
import { findHandEdits, HandEditedError, keepAside, type HandEdit } from './write/hand-edits.js';
import { systemClock } from '../lib/clock.js';

export interface ApplyResult {
  clusterDir: string;
  /** Every file of the plan as compared with the disk (the manifest as written: with its record of hashes). */
  changes: FileChange[];
  /**
   * Files this run replaces or removes that were edited by hand since gen wrote them (or that gen
   * has no record of writing). A run without `check` and without `force` refuses them
   * (HandEditedError, nothing written); with `force` each carries `keptAs`.
   */
  handEdited: HandEdit[];
  /** Names (never values) of secrets, by where they came from. */
  secrets: { generated: string[]; fromSpec: string[]; fromEnvironment: string[] };
  warnings: Finding[];
  /**
   * With `check`: private files (password hashes, git-ignored) left out of the comparison, because
   * they are not here (a checkout never has them) or the secrets they are built from are not.
   */
  notCompared: string[];
}

/**
 * Writes a plan into `<outDir>/<name>/`: only files whose bytes or mode differ, each atomically,
 * and the missing secrets appended to .env (0600). Every check runs before the first write, so a
 * failure leaves the folder as it was; a symbolic link on the way to any file is refused, in
 * `check` too. With `check`, nothing is written at all. A plan whose files hold secret-derived
 * bytes must come with the SecretState it was made from (generator/generate.ts does both).
 *
 * A file edited by hand since gen wrote it (write/gen-record.ts keeps what gen wrote) is never
 * overwritten silently: without `force` the run refuses (HandEditedError: each file with its
 * diff, nothing written); with `force` the edited file is kept beside itself as
 * `<file>.hand-edited-<UTC time>` (mode kept) and the new one written. `now` names those copies.
 */
export async function applyPlan(
  plan: ClusterPlan,
  outDir: string,
  options: {
    env: Readonly<Record<string, string | undefined>>;
    check?: boolean;
    force?: boolean;
    now?: Date;
    specName: string;
    secrets?: SecretState;
    /** Awaited once before the first write, only when something will be written (the CLI takes the folder's lock there). */
    beforeWrite?: () => Promise<void>;
  },
): Promise<ApplyResult> {
  if (plan.privateInputs.length > 0 && !options.secrets)
    throw new Error('a plan with files built from secrets is applied with the SecretState it was planned with');
  const clusterDir = join(outDir, plan.model.name);
  // no read through a link either: first the manifest (it lists the stale files), then every path
  await refuseUnsafePaths(clusterDir, [MANIFEST_FILE]);
  const stale = await staleCandidates(clusterDir, plan.files);
  const paths = [...plan.files.map((f) => f.path), ...stale];
  await refuseUnsafePaths(clusterDir, [...paths, ENV_FILE, ...recordPaths(paths)]);
  // the manifest as written records the hash of every file beside it (write/gen-record.ts)
  const recorded = withRecord(plan.files);
  const record = await readGenRecord(clusterDir);

  const state = options.secrets ?? (await readSecretState(clusterDir, plan.model.secrets, options.env));
  const { envPath, envText, envMode, resolution: secrets } = state;
  // secrets readable by others: put right (and said), whatever else changes
  const envTooOpen = envMode !== undefined && (envMode & 0o077) !== 0;
  const compared = [...(await compareWithDisk(clusterDir, recorded.files)), ...(await staleChanges(clusterDir, stale))];
  const leftOut = options.check ? notComparable(plan, compared, state) : { changes: [], present: [], unknown: [] };
  const changes = compared.filter((c) => !leftOut.changes.includes(c));
  const { handEdited, unchecked } = await findHandEdits(clusterDir, changes, record);
  const result: ApplyResult = {
    clusterDir,
    changes,
    handEdited,
    secrets: {
      generated: secrets.append.filter((a) => a.origin === 'generated').map((a) => a.variable),
      fromSpec: secrets.append.filter((a) => a.origin === 'spec').map((a) => a.variable),
      fromEnvironment: secrets.fromEnvironment,
    },
    warnings: [
      ...plan.warnings,
      ...secrets.warnings,
      ...(envTooOpen
        ? [
            {
              path: '',
              message: `${envPath} was mode ${envMode!.toString(8).padStart(4, '0')}, readable by others although it holds the cluster's secrets; ${options.check ? 'gen sets it to 0600' : 'set to 0600'}`,
            },
          ]
        : []),
      ...(leftOut.present.length > 0
        ? [
            {
              path: '',
              message: `${leftOut.present.join(', ')} not compared: built from ${leftOut.unknown.join(' and ')}, which ${leftOut.unknown.length > 1 ? 'are' : 'is'} in neither the environment nor ${envPath}`,
            },
          ]
        : []),
      ...noRecordWarning(clusterDir, record.manifestFound && record.publicHashes === undefined, unchecked, options.check),
    ],
    notCompared: leftOut.changes.map((c) => c.file.path),
  };
  if (options.check) return result;
  if (secrets.errors.length > 0) throw new SpecError(secrets.errors.map(formatFinding), options.specName);
  if (handEdited.length > 0 && !options.force) throw new HandEditedError(clusterDir, options.specName, handEdited);
  // built before the first write: a value .env cannot hold must fail the run, not end it halfway
  const newEnvText = secrets.append.length > 0 ? envFileText(envText, secrets.append, options.specName) : undefined;

  const writes = changes.some((c) => c.kind !== 'unchanged') || newEnvText !== undefined || envTooOpen;
  if (writes) await options.beforeWrite?.();

  // --force: every hand-edited file kept aside before the first write replaces or removes one
  const now = options.now ?? new Date(systemClock());
  for (const edit of handEdited) edit.keptAs = await keepAside(clusterDir, edit.path, now);
  for (const change of changes) {
    if (change.kind === 'unchanged') continue;
    if (change.kind === 'remove') await removeWithEmptyParents(clusterDir, change.file.path);
    else await writeFileAtomic(join(clusterDir, change.file.path), change.file.contents, change.file.mode);
  }
  if (newEnvText !== undefined) await writeFileAtomic(envPath, newEnvText, 0o600);
  else if (envTooOpen) await chmod(envPath, 0o600);
  await writeGenRecord(clusterDir, recorded.files, recorded.privateHashes, stale);
  return result;
}

/**
 * Said once, when there is no record to check hand edits against: a manifest an older
 * rmq-compose wrote (no `generatedHashes`), or files gen replaces that no record covers (a
 * folder copied without its .rmq-compose/). This run records them.
 */
function noRecordWarning(clusterDir: string, olderManifest: boolean, unchecked: readonly string[], check: boolean | undefined): Finding[] {
  if (!olderManifest && unchecked.length === 0) return [];
  const why = olderManifest
    ? `${join(clusterDir, MANIFEST_FILE)} was written by an older rmq-compose and records no file hashes`
    : `no record of what gen wrote covers ${unchecked.join(', ')}`;
  const lost = unchecked.length === 0 ? '' : olderManifest ? ` (${check ? 'gen would overwrite' : 'overwritten'}: ${unchecked.join(', ')})` : '';
  return [{ path: '', message: `${why}: hand edits cannot be detected this run${lost}; gen records ${olderManifest ? 'them' : 'what it writes'} from now on` }];
}

/**
 * What `--check` cannot judge: a private file that is not here (git-ignores it, so CI never has
 * it), or any private file when a secret it is built from has no value yet (the plan used one
 * drawn for this run only).
 */
function notComparable(plan: ClusterPlan, compared: FileChange[], state: SecretState): { changes: FileChange[]; present: string[]; unknown: string[] } {
  const unknown = plan.privateInputs.filter((v) => state.madeUp.has(v));
  const changes = compared.filter((c) => isPrivate(c.file) && (c.kind === 'create' || unknown.length > 0));
  // said only of files that are here: a missing one is what a checkout looks like
  return { changes, present: unknown.length > 0 ? changes.filter((c) => c.kind !== 'create').map((c) => c.file.path) : [], unknown };
}

/** The spec rules refuse inline secrets .env cannot hold; should one slip through, it is the spec's fault. */
function envFileText(existing: string, append: SecretResolution['append'], specName: string): string {
  try {
    return appendToEnvFile(existing, append, `Generated by rmq-compose from ${escapeControlCharacters(specName)}.`);
  } catch (error) {
    if (error instanceof EnvValueError) throw new SpecError([error.message], specName);
    throw error;
  }
}

async function removeWithEmptyParents(root: string, path: string): Promise<void> {
  await rm(join(root, path), { force: true });
  for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    if ((await readdir(join(root, dir))).length > 0) break;
    await rmdir(join(root, dir));
  }
}
