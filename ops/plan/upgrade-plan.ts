import type { ClusterManifest } from '../../contract/manifest.js';
import type { UpgradeState } from '../state/upgrade-state.js';
import { assemblePlan, type ActionPlan, type PlanInput } from './action-plan.js';
import type { PlanMode } from './plan-mode.js';
import type { UpgradeFiles } from './upgrade-files.js';

type Node = ClusterManifest['nodes'][number];

/** What upgrade's pre-check read and planned: the path, the files, the flags. */
export interface UpgradePreCheck {
  from: string;
  to: string;
  files: UpgradeFiles;
  flagsOff: string[];
  deprecated: string[] | undefined;
}

/**
 * The upgrade as a value, from what the pre-check read: the files, the feature flags, the nodes
 * in order behind their gates. Pure: what `--dry-run` shows and `--plan <id>` holds the run to.
 */
export function upgradePlan(
  cluster: string,
  args: { image: string; mode: PlanMode; argv: string[] },
  pre: UpgradePreCheck,
  earlier: UpgradeState | undefined,
  nodes: readonly Node[],
  machines: number,
  inputs: PlanInput[],
  now: Date,
): ActionPlan {
  const filesDone = earlier?.filesWritten === true;
  const steps = [
    ...(pre.flagsOff.length > 0 ? [`enable_feature_flag all (stable flags off: ${pre.flagsOff.join(', ')})`] : []),
    `${args.image} on ${machines === 1 ? 'the Docker host' : `all ${machines} machines`} (pulled or loaded where missing)`,
    filesDone ? 'files: written by the earlier run' : `record ${args.image} in the spec and write the ${pre.files.files.length} file(s) below`,
    ...nodes.map((n) =>
      earlier?.done.includes(n.name)
        ? `${n.name}: upgraded by the earlier run`
        : `${n.name}: quorum gate, drain, new container on ${args.image}, clustered again, revive`,
    ),
    `every node runs ${pre.to}`,
    'enable_feature_flag all (what the new version brings)',
    'rabbitmq-queues rebalance quorum',
  ];
  return assemblePlan({
    action: 'upgrade',
    cluster,
    argv: args.argv,
    madeAt: now.toISOString(),
    inputs,
    files: filesDone ? [] : pre.files.files,
    steps,
  });
}
