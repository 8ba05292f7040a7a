import { z } from 'zod';
import { stateFile } from '../state/state-file.js';

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
  /** The user the shovels log in to blue as (move-user.ts), while it exists: a resumed run's shovels still use it. */
  mover: z.object({ name: z.string(), password: z.string() }).optional(),
});
export type MigrationState = z.infer<typeof MigrationState>;

const file = stateFile('migration.json', MigrationState, 'a migration in progress');
export const readMigrationState = file.read;
export const writeMigrationState = file.write;
export const clearMigrationState = file.clear;
