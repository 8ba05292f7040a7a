import type { ClusterManifest } from '../contract/manifest.js';
import type { Actor } from './actor.js';
import type { CatalogEntry } from './catalog.js';
import type { ClusterHandle } from './cluster-handle.js';
import type { ClusterLock } from './lock.js';
import type { OpsTools } from './ops-tools.js';

/**
 * What one action is: its catalog entry (name, usage, kind) plus a parser that validates argv
 * against the manifest before any process starts, and `run`. Surfaces never call these
 * directly: they go through the pipeline (`ops/pipeline/`), which locks and audits.
 */

export type { Actor, ClusterHandle };

export interface ActionContext {
  cluster: ClusterHandle;
  actor: Actor;
  /** Step-by-step progress for long actions (CLI progress display, Slack chat.update). */
  progress(step: ProgressStep): void;
  signal?: AbortSignal;
  /** Outside-world access (process runner, TCP, HTTP, clock); defaults to the real ones. Tests inject fakes. */
  tools?: Partial<OpsTools>;
  /** The cluster lock, for the one action that manages it (`unlock`). */
  lock?: ClusterLock;
  /**
   * Another cluster this run changes too (migrate's green): its lock is taken for the rest of the
   * run (ClusterBusyError when someone holds it) and its audit.log gets this run's lines, the
   * intent now and the outcome with the action's own. Given by the pipeline; absent in a bare context.
   */
  alsoHold?: (cluster: ClusterHandle) => Promise<void>;
}

export interface ProgressStep {
  /** Stable id so a surface can update the same line. */
  id: string;
  title: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
  detail?: string;
}

export interface ActionResult<Data = unknown> {
  ok: boolean;
  /** One line, e.g. "seed: 3/3 nodes running". */
  headline: string;
  /** Plain-text body (no secrets); surfaces may render `data` richer. */
  text: string;
  /** The typed payload: what `--json` prints and the Slack renderers read. */
  data: Data;
  /** The terminal's exit code when it is not just ok → 0, else 1 (`check`: 0 healthy, 1 degraded, 2 critical). */
  exitCode?: number;
}

export interface ActionDefinition<Args = unknown, Data = unknown> extends CatalogEntry {
  /** Validates argv against the manifest (known nodes, name shapes); throws InvalidArgumentError. */
  parse(argv: readonly string[], manifest: ClusterManifest): Args;
  run(ctx: ActionContext, args: Args): Promise<ActionResult<Data>>;
}

/**
 * Any action, its Args and Data erased: what a table of different actions holds. `unknown` would
 * not do: an action's run() takes only its own Args.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: erased on purpose, each action stays typed in its own file
export type AnyActionDefinition = ActionDefinition<any, any>;

/** An action from its catalog entry and its implementation: name, usage and kind are never copied. */
export function defineAction<Args, Data>(entry: CatalogEntry, impl: Pick<ActionDefinition<Args, Data>, 'parse' | 'run'>): ActionDefinition<Args, Data> {
  return { ...entry, ...impl };
}
