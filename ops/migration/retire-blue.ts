import { RefusedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { clearMigrationState, type MigrationState } from './migration-state.js';
import type { ActionContext } from '../action.js';
import { step } from '../steps/step.js';
import type { MigrateData } from './migrate-types.js';

/** Blue removed for good (containers, networks, volumes): only after the move is complete. */
export async function retireBlue(
  ctx: ActionContext,
  s: ClusterServices,
  state: MigrationState,
): Promise<{ ok: boolean; headline: string; text: string; data: MigrateData }> {
  if (!state.done.includes('drained')) {
    throw new RefusedError(
      `the migration is not complete (done: ${state.done.join(', ') || 'nothing'}); run \`migrate\` until blue is drained, or \`migrate rollback\``,
    );
  }
  const blue = ctx.cluster;
  await step(ctx, 'blue-down', `remove blue's containers, networks and data (${blue.manifest.project})`, () => s.compose.down(true));
  await clearMigrationState(blue.dir);
  return {
    ok: true,
    headline: `${blue.manifest.name} retired: the cluster is ${state.greenDir} now (spec ${state.greenSpec})`,
    text: `blue's folder ${blue.dir} is left as it was; remove it when you no longer need its backups and audit log`,
    data: { kind: 'retire', green: { dir: state.greenDir, spec: state.greenSpec }, queues: [], report: [] },
  };
}
