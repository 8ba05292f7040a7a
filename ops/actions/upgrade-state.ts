import { lstat, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { STATE_DIR } from '../../contract/cluster-files.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { RefusedError } from '../errors.js';

/**
 * Where an upgrade is: written after each step that changes something, so an upgrade stopped by a
 * refusal, a crash or Ctrl-C goes on from the next node when run again. Kept in the cluster's
 * private state folder beside the lock; removed when the upgrade finishes.
 */
export const UpgradeState = z.object({
  image: z.string(),
  version: z.string().optional(),
  from: z.string(),
  startedAt: z.string(),
  filesWritten: z.boolean(),
  /** Nodes already running the new image, clustered and revived. */
  done: z.array(z.string()),
});
export type UpgradeState = z.infer<typeof UpgradeState>;

const FILE = 'upgrade.json';
const pathOf = (clusterDir: string) => join(clusterDir, STATE_DIR, FILE);

export async function readUpgradeState(clusterDir: string): Promise<UpgradeState | undefined> {
  const path = pathOf(clusterDir);
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return undefined;
  if (!stats.isFile()) throw new RefusedError(`${path} is not a regular file; remove it (it records an unfinished upgrade) and run again`);
  const parsed = UpgradeState.safeParse(JSON.parse(await readFile(path, 'utf8').catch(() => '{}')));
  if (!parsed.success) throw new RefusedError(`${path} does not say where an upgrade stopped (damaged?); check \`rmq-compose status\`, remove the file and run upgrade again`);
  return parsed.data;
}

export async function writeUpgradeState(clusterDir: string, state: UpgradeState): Promise<void> {
  await writeFileAtomic(pathOf(clusterDir), `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export async function clearUpgradeState(clusterDir: string): Promise<void> {
  await rm(pathOf(clusterDir), { force: true });
}
