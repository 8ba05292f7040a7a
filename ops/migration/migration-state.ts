import { lstat, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { STATE_DIR } from '../../contract/cluster-files.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { RefusedError } from '../errors.js';

/**
 * Where a blue-green migration is, kept in blue's private state folder: each phase is written when
 * it is done, so `migrate` run again goes on from the next one, and `rollback` / `retire` know
 * what there is to undo or remove. Removed after a rollback or a retire.
 */
export const MIGRATION_PHASES = ['green-generated', 'green-running', 'linked', 'definitions', 'shovels', 'switched', 'drained'] as const;
export type MigrationPhase = (typeof MIGRATION_PHASES)[number];

export const MigrationState = z.object({
  image: z.string(),
  version: z.string().optional(),
  startedAt: z.string(),
  /** Green's cluster folder and spec file, absolute. */
  greenDir: z.string(),
  greenSpec: z.string(),
  subnet: z.string(),
  portOffset: z.number().int(),
  done: z.array(z.enum(MIGRATION_PHASES)),
  /** The queues being moved (vhost, name), from the definitions step. */
  queues: z.array(z.object({ vhost: z.string(), name: z.string(), shovel: z.string() })).default([]),
});
export type MigrationState = z.infer<typeof MigrationState>;

const pathOf = (clusterDir: string) => join(clusterDir, STATE_DIR, 'migration.json');

export async function readMigrationState(clusterDir: string): Promise<MigrationState | undefined> {
  const path = pathOf(clusterDir);
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return undefined;
  if (!stats.isFile()) throw new RefusedError(`${path} is not a regular file; it should record a migration in progress (move it away and look at \`rmq-compose status\` of both clusters)`);
  const parsed = MigrationState.safeParse(JSON.parse(await readFile(path, 'utf8').catch(() => '{}')));
  if (!parsed.success) throw new RefusedError(`${path} does not say where the migration stopped (damaged?); check both clusters by hand before removing it`);
  return parsed.data;
}

export async function writeMigrationState(clusterDir: string, state: MigrationState): Promise<void> {
  await writeFileAtomic(pathOf(clusterDir), `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export async function clearMigrationState(clusterDir: string): Promise<void> {
  await rm(pathOf(clusterDir), { force: true });
}
