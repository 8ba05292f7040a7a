import { lstat, readFile, readlink } from 'node:fs/promises';
import { sha256, type PlanInput } from './action-plan.js';

/**
 * What each file a plan is made from holds now, as a digest: null for no file, a link recorded as
 * its target (never followed: the folder's writers refuse links anyway).
 */
export async function fingerprint(paths: readonly string[]): Promise<PlanInput[]> {
  const unique = [...new Set(paths)];
  return Promise.all(unique.map(async (path) => ({ path, sha256: await digestOf(path) })));
}

/** The inputs whose file is no longer what the plan was made from. */
export async function changedSince(inputs: readonly PlanInput[]): Promise<string[]> {
  const now = await fingerprint(inputs.map((i) => i.path));
  return inputs.filter((input, i) => now[i]!.sha256 !== input.sha256).map((i) => i.path);
}

async function digestOf(path: string): Promise<string | null> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (!stats) return null;
  if (stats.isSymbolicLink()) return sha256(`link ${await readlink(path)}`);
  return sha256(await readFile(path));
}
