import { STATE_DIR } from '../../contract/cluster-files.js';
import { RefusedError } from '../errors.js';
import { stateFile } from '../state/state-file.js';
import { ActionPlan, comparable } from './action-plan.js';
import { changedSince } from './plan-inputs.js';

/**
 * The plan a dry run showed, kept in the cluster's private state folder (0600, beside the lock)
 * until an apply uses it, so `--plan <id>` in another process, or from Slack, applies what was
 * reviewed. One per action: a newer dry run replaces it.
 */
const files = new Map<string, ReturnType<typeof stateFile<typeof ActionPlan>>>();
function fileFor(action: string) {
  let file = files.get(action);
  if (!file) {
    file = stateFile(`plan-${action}.json`, ActionPlan, `the plan a dry run of ${action} made`);
    files.set(action, file);
  }
  return file;
}

export const savePlan = (clusterDir: string, plan: ActionPlan): Promise<void> => fileFor(plan.action).write(clusterDir, plan);
export const forgetPlan = (clusterDir: string, action: string): Promise<void> => fileFor(action).clear(clusterDir);

/**
 * The plan `--plan <id>` names, before anything else is read: refused unless a dry run kept it
 * for the same words and every file it was made from is as it was. Nothing has been changed
 * when it throws.
 */
export async function takeSavedPlan(
  clusterDir: string,
  request: { action: string; cluster: string; id: string; argv: readonly string[] },
  dryRunCommand: string,
): Promise<ActionPlan> {
  const { action, cluster, id, argv } = request;
  const saved = await fileFor(action).read(clusterDir);
  const again = `nothing was changed; review a new plan with \`${dryRunCommand}\``;
  if (!saved) throw new RefusedError(`there is no plan ${id} for ${action} on ${cluster} (no dry run kept one in ${STATE_DIR}/); ${again}`);
  if (saved.id !== id)
    throw new RefusedError(`the plan a dry run kept for ${action} is ${saved.id} (made ${saved.madeAt}), not ${id}: a newer dry run replaced it; ${again}`);
  if (saved.argv.join('\0') !== argv.join('\0'))
    throw new RefusedError(`plan ${id} was made for \`${[action, ...saved.argv].join(' ')}\`, not \`${[action, ...argv].join(' ')}\`; ${again}`);
  const changed = await changedSince(saved.inputs);
  if (changed.length > 0) throw new RefusedError(`plan ${id} was made ${saved.madeAt} from files that have changed since: ${changed.join(', ')}; ${again}`);
  return saved;
}

/** The plan made now from the cluster as it is (the pre-checks read it again) must be the one kept. */
export function expectSamePlan(saved: ActionPlan, fresh: ActionPlan, dryRunCommand: string): void {
  if (fresh.id === saved.id) return;
  throw new RefusedError(
    `the cluster is no longer what plan ${saved.id} was made for: ${differences(saved, fresh).join('; ')}; nothing was changed; review a new plan with \`${dryRunCommand}\``,
  );
}

/** What differs between the plan kept and the plan made now, in words. */
function differences(saved: ActionPlan, fresh: ActionPlan): string[] {
  const out: string[] = [];
  const files = (p: ActionPlan) => p.files.map((f) => `${f.change} ${f.path}`);
  const gone = files(saved).filter((f) => !files(fresh).includes(f));
  const added = files(fresh).filter((f) => !files(saved).includes(f));
  if (gone.length > 0 || added.length > 0) out.push(`files now ${[...added.map((f) => `+ ${f}`), ...gone.map((f) => `− ${f}`)].join(', ')}`);
  else {
    const differ = saved.files.filter((f, i) => JSON.stringify(comparable(f)) !== JSON.stringify(comparable(fresh.files[i]!))).map((f) => f.path);
    if (differ.length > 0) out.push(`the new content of ${differ.join(', ')} differs`);
  }
  const stepsGone = saved.steps.filter((s) => !fresh.steps.includes(s));
  const stepsNew = fresh.steps.filter((s) => !saved.steps.includes(s));
  if (stepsGone.length > 0 || stepsNew.length > 0) out.push(`steps now ${[...stepsNew.map((s) => `+ ${s}`), ...stepsGone.map((s) => `− ${s}`)].join(', ')}`);
  return out.length > 0 ? out : ['its order of steps differs'];
}
