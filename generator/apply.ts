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
import { printable } from './render/printable.js';

export interface ApplyResult {
  clusterDir: string;
  changes: FileChange[];
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
 */
export async function applyPlan(
  plan: ClusterPlan,
  outDir: string,
  options: { env: Readonly<Record<string, string | undefined>>; check?: boolean; specName: string; secrets?: SecretState },
): Promise<ApplyResult> {
  if (plan.privateInputs.length > 0 && !options.secrets) throw new Error('a plan with files built from secrets is applied with the SecretState it was planned with');
  const clusterDir = join(outDir, plan.model.name);
  // no read through a link either: first the manifest (it lists the stale files), then every path
  await refuseUnsafePaths(clusterDir, [MANIFEST_FILE]);
  const stale = await staleCandidates(clusterDir, plan.files);
  await refuseUnsafePaths(clusterDir, [...plan.files.map((f) => f.path), ENV_FILE, ...stale]);

  const state = options.secrets ?? (await readSecretState(clusterDir, plan.model.secrets, options.env));
  const { envPath, envText, envMode, resolution: secrets } = state;
  // secrets readable by others: put right (and said), whatever else changes
  const envTooOpen = envMode !== undefined && (envMode & 0o077) !== 0;
  const compared = [...(await compareWithDisk(clusterDir, plan.files)), ...(await staleChanges(clusterDir, stale))];
  const leftOut = options.check ? notComparable(plan, compared, state) : { changes: [], present: [], unknown: [] };
  const changes = compared.filter((c) => !leftOut.changes.includes(c));
  const result: ApplyResult = {
    clusterDir,
    changes,
    secrets: {
      generated: secrets.append.filter((a) => a.origin === 'generated').map((a) => a.variable),
      fromSpec: secrets.append.filter((a) => a.origin === 'spec').map((a) => a.variable),
      fromEnvironment: secrets.fromEnvironment,
    },
    warnings: [
      ...plan.warnings,
      ...secrets.warnings,
      ...(envTooOpen ? [{ path: '', message: `${envPath} was mode ${envMode!.toString(8).padStart(4, '0')}, readable by others although it holds the cluster's secrets; ${options.check ? 'gen sets it to 0600' : 'set to 0600'}` }] : []),
      ...(leftOut.present.length > 0
        ? [{ path: '', message: `${leftOut.present.join(', ')} not compared: built from ${leftOut.unknown.join(' and ')}, which ${leftOut.unknown.length > 1 ? 'are' : 'is'} in neither the environment nor ${envPath}` }]
        : []),
    ],
    notCompared: leftOut.changes.map((c) => c.file.path),
  };
  if (options.check) return result;
  if (secrets.errors.length > 0) throw new SpecError(secrets.errors.map(formatFinding), options.specName);
  // built before the first write: a value .env cannot hold must fail the run, not end it halfway
  const newEnvText = secrets.append.length > 0 ? envFileText(envText, secrets.append, options.specName) : undefined;

  for (const change of changes) {
    if (change.kind === 'unchanged') continue;
    if (change.kind === 'remove') await removeWithEmptyParents(clusterDir, change.file.path);
    else await writeFileAtomic(join(clusterDir, change.file.path), change.file.contents, change.file.mode);
  }
  if (newEnvText !== undefined) await writeFileAtomic(envPath, newEnvText, 0o600);
  else if (envTooOpen) await chmod(envPath, 0o600);
  return result;
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
    return appendToEnvFile(existing, append, `Generated by rmq-compose from ${printable(specName)}.`);
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
