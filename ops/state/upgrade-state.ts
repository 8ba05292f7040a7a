import { z } from 'zod';
import { PlanInput } from '../plan/action-plan.js';
import { stateFile } from './state-file.js';

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
  /**
   * What the files the run wrote hold (spec, .env, every generated file): a resumed run refuses
   * to start the remaining nodes from files changed since. Absent in a state an older version wrote.
   */
  written: z.array(PlanInput).optional(),
});
export type UpgradeState = z.infer<typeof UpgradeState>;

const file = stateFile('upgrade.json', UpgradeState, 'an unfinished upgrade');
export const readUpgradeState = file.read;
export const writeUpgradeState = file.write;
export const clearUpgradeState = file.clear;
