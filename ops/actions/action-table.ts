import type { ActionDefinition } from './action.js';
import { deployAction } from './deploy.js';
import { forgetAction } from './forget.js';
import { joinAction } from './join.js';
import { logsAction } from './logs.js';
import { drainAction, reviveAction } from './maintenance.js';
import { mirrorPolicyAction } from './mirror-policy.js';
import { partitionsAction } from './partitions.js';
import { restartAction } from './restart.js';
import { statusAction } from './status.js';
import { syncAction } from './sync.js';

/** The actions by name; duplicates are a programming error caught at startup. */
export class ActionTable {
  readonly #byName = new Map<string, ActionDefinition>();

  constructor(actions: readonly ActionDefinition<any, any>[]) {
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

  /** Plain-text help generated from the definitions, so it never drifts from what exists. */
  help(prefix = 'rmq-compose'): string {
    const rows = this.list().map((a) => [`${prefix} ${a.usage}`, `${a.summary}${a.dangerous ? ' (asks for confirmation)' : ''}`] as const);
    const width = Math.max(...rows.map(([u]) => u.length));
    return rows.map(([u, s]) => `  ${u.padEnd(width)}  ${s}`).join('\n');
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action has its own Args/Data; the table stores them erased
export const ALL_ACTIONS: readonly ActionDefinition<any, any>[] = [
  statusAction, deployAction, joinAction, mirrorPolicyAction, restartAction, drainAction, reviveAction, forgetAction, syncAction, partitionsAction, logsAction,
];

export function createActionTable(): ActionTable {
  return new ActionTable(ALL_ACTIONS);
}
