import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A plan is a value (as in changesets: assemble the release plan purely, then apply that plan):
 * what `upgrade` and `rotate-certs` will do, made before anything changes. `--dry-run` prints it
 * and keeps it in the cluster's state folder; `--plan <id>` applies it only while everything it
 * was made from is as it was. The id is a digest of the plan's content, so two plans with the
 * same id do the same thing from the same files.
 */

/** A file the plan was made from, as it was: its SHA-256, or null where there was no file. */
export const PlanInput = z.object({ path: z.string(), sha256: z.string().nullable() });
export type PlanInput = z.infer<typeof PlanInput>;

/** A file the plan writes or removes (path relative to the cluster folder). */
export const PlannedFile = z.object({
  path: z.string(),
  change: z.enum(['created', 'updated', 'removed']),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** SHA-256 of the new content; null for certificates and keys issued anew (they differ every time they are made). */
  after: z.string().nullable(),
});
export type PlannedFile = z.infer<typeof PlannedFile>;

export const PLAN_ID = /^[0-9a-f]{12}$/;

export const ActionPlan = z.object({
  id: z.string().regex(PLAN_ID),
  action: z.string(),
  cluster: z.string(),
  /** The action's words without --dry-run and --plan: what applying it runs. */
  argv: z.array(z.string()),
  madeAt: z.string(),
  inputs: z.array(PlanInput),
  files: z.array(PlannedFile),
  /** In order: what the action does, node by node, with its gates. */
  steps: z.array(z.string()),
});
export type ActionPlan = z.infer<typeof ActionPlan>;

/**
 * The plan with its id: a digest of everything but the time it was made, and but the line counts
 * of files made anew each time (keys, certificates: a new signature may be a line longer).
 */
export function assemblePlan(parts: Omit<ActionPlan, 'id'>): ActionPlan {
  const { action, cluster, argv, inputs, steps } = parts;
  const files = parts.files.map(comparable);
  const id = createHash('sha256').update(JSON.stringify({ action, cluster, argv, inputs, files, steps })).digest('hex').slice(0, 12);
  return { id, ...parts };
}

/** What of a planned file two plans must agree on. */
export function comparable(f: PlannedFile): Partial<PlannedFile> {
  return f.after === null ? { path: f.path, change: f.change } : f;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
