import type { ActionResult } from '../action.js';
import type { ClusterHandle } from '../cluster-handle.js';
import type { ActionPlan } from './action-plan.js';
import { planText } from './plan-text.js';
import { savePlan } from './saved-plan.js';

/** What a dry run returns: the plan (what `--json` prints), nothing changed. */
export interface DryRunData {
  dryRun: true;
  plan: ActionPlan;
}

/** Keeps the plan for `--plan <id>` and says what it is; the cluster is not touched. */
export async function dryRunResult(cluster: ClusterHandle, plan: ActionPlan, diff: string, what: string): Promise<ActionResult<DryRunData>> {
  await savePlan(cluster.dir, plan);
  return {
    ok: true,
    headline: `${cluster.manifest.name}: plan ${plan.id} for ${plan.action}, ${what} (dry run: nothing changed)`,
    text: planText(plan, diff),
    data: { dryRun: true, plan },
  };
}
