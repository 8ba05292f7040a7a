import type { ActionName } from '../catalog.js';
import type { ActionDefinition, ActionResult, AnyActionDefinition } from '../action.js';
import { backupAction, type BackupData } from '../actions/backup.js';
import { checkAction, type CheckData } from '../actions/check.js';
import { deployAction, type DeployData } from '../actions/deploy.js';
import { forgetAction, type ForgetData } from '../actions/forget.js';
import { joinAction, type JoinData } from '../actions/join.js';
import { logsAction, type LogsData } from '../actions/logs.js';
import { migrateAction, type MigrateData } from '../actions/migrate.js';
import { drainAction, reviveAction, type MaintenanceData } from '../actions/maintenance.js';
import { mirrorPolicyAction, type MirrorPolicyData } from '../actions/mirror-policy.js';
import { partitionsAction, type PartitionsData } from '../actions/partitions.js';
import { rebalanceAction, type RebalanceData } from '../actions/rebalance.js';
import { restartAction, type RestartData } from '../actions/restart.js';
import { restoreAction, type RestoreData } from '../actions/restore.js';
import { statusAction } from '../actions/status.js';
import type { StatusData } from '../status/status-view.js';
import { syncAction, type SyncData } from '../actions/sync.js';
import { unlockAction, type UnlockData } from '../actions/unlock.js';
import { upgradeAction, type UpgradeData } from '../actions/upgrade.js';
import { rotateCertsAction, type RotateCertsData } from '../actions/rotate-certs.js';
import type { DryRunData } from '../plan/dry-run-result.js';

/** Each action's result data: the one type `--json` prints and the Slack renderers read. */
export interface ActionDataMap {
  status: StatusData;
  check: CheckData;
  deploy: DeployData;
  join: JoinData;
  'mirror-policy': MirrorPolicyData;
  restart: RestartData;
  drain: MaintenanceData;
  revive: MaintenanceData;
  forget: ForgetData;
  rebalance: RebalanceData;
  sync: SyncData;
  partitions: PartitionsData;
  logs: LogsData;
  backup: BackupData;
  restore: RestoreData;
  upgrade: UpgradeData | DryRunData;
  migrate: MigrateData | DryRunData;
  'rotate-certs': RotateCertsData | DryRunData;
  unlock: UnlockData;
}

/** A result together with the name of the action that made it, typed by that name. */
export type TypedResult = { [K in ActionName]: { action: K; result: ActionResult<ActionDataMap[K]> } }[ActionName];

/** The actions by name; a duplicate is a programming error caught at start-up. */
export class ActionTable {
  readonly #byName = new Map<string, ActionDefinition>();

  constructor(actions: readonly AnyActionDefinition[]) {
    for (const action of actions) {
      if (this.#byName.has(action.name)) throw new Error(`duplicate action name "${action.name}" in the action table`);
      this.#byName.set(action.name, action as ActionDefinition);
    }
  }

  get(name: string): ActionDefinition | undefined {
    return this.#byName.get(name);
  }

  list(): readonly ActionDefinition[] {
    return [...this.#byName.values()];
  }
}

// Every implementation, keyed by its catalog name: a missing or extra action is a type error.
const IMPLEMENTATIONS: { [K in ActionName]: AnyActionDefinition & { run(...a: never[]): Promise<ActionResult<ActionDataMap[K]>> } } = {
  status: statusAction,
  check: checkAction,
  deploy: deployAction,
  join: joinAction,
  'mirror-policy': mirrorPolicyAction,
  restart: restartAction,
  drain: drainAction,
  revive: reviveAction,
  forget: forgetAction,
  rebalance: rebalanceAction,
  sync: syncAction,
  partitions: partitionsAction,
  logs: logsAction,
  backup: backupAction,
  restore: restoreAction,
  upgrade: upgradeAction,
  migrate: migrateAction,
  'rotate-certs': rotateCertsAction,
  unlock: unlockAction,
};

export const ALL_ACTIONS: readonly AnyActionDefinition[] = Object.values(IMPLEMENTATIONS);

export function createActionTable(): ActionTable {
  return new ActionTable(ALL_ACTIONS);
}
