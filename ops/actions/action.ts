import type { ClusterManifest } from '../../contract/manifest.js';
import type { OpsTools } from '../ops-tools.js';

/**
 * The contract between the operations core and its surfaces (CLI, Slack bot). Surfaces parse,
 * authorize and format; they never build a command line. Every action is one file exporting an
 * `ActionDefinition`; the action table (`action-table.ts`) rejects duplicate names and generates
 * help from the definitions.
 */

export interface Actor {
  /** 'slack' or 'cli' */
  via: 'slack' | 'cli';
  /** Slack user ID or the local user name. */
  id: string;
  name?: string;
  channel?: string;
}

export interface ActionContext {
  cluster: ClusterHandle;
  actor: Actor;
  /** Step-by-step progress for long actions (CLI progress display, Slack chat.update). */
  progress(step: ProgressStep): void;
  signal?: AbortSignal;
  /** Outside-world access (process runner, TCP, HTTP, clock); defaults to the real ones. Tests inject fakes. */
  tools?: Partial<OpsTools>;
}

export interface ProgressStep {
  /** Stable id so a surface can update the same line. */
  id: string;
  title: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
  detail?: string;
}

/** A generated cluster on disk: its folder and manifest (rmq-compose.json). */
export interface ClusterHandle {
  dir: string;
  manifest: ClusterManifest;
}

export interface ActionResult<Data = unknown> {
  ok: boolean;
  /** One line, e.g. "seed: 3/3 nodes running". */
  headline: string;
  /** Plain-text body (Markdown-ish, no secrets); surfaces may render `data` richer. */
  text: string;
  /** Typed payload for `--json` and rich rendering (e.g. StatusReport for `status`). */
  data: Data;
}

export interface ActionDefinition<Args = unknown, Data = unknown> {
  name: string;
  /** e.g. "join <node> [--ram|--disc] [--to <node>]" */
  usage: string;
  summary: string;
  /** Changes the cluster: needs a lock, and stricter authorization. */
  mutating: boolean;
  /**
   * For an action whose kind depends on its subcommand (`mirror-policy list` reads, `set` writes):
   * does this argv change the cluster? Looks at the raw words only, so the bot can authorize before
   * it loads the cluster. Absent: `mutating`. Use `isMutating()` rather than reading either field.
   */
  mutatingFor?(argv: readonly string[]): boolean;
  /** Asks for confirmation in Slack (and --yes on the CLI). */
  dangerous: boolean;
  /** Validates argv against the manifest (known nodes, policy names); throws UserError. */
  parse(argv: readonly string[], manifest: ClusterManifest): Args;
  run(ctx: ActionContext, args: Args): Promise<ActionResult<Data>>;
}

/** Whether running `action` with `argv` changes the cluster (lock, mutating authorization rule). */
export function isMutating(action: Pick<ActionDefinition, 'mutating' | 'mutatingFor'>, argv: readonly string[]): boolean {
  return action.mutatingFor ? action.mutatingFor(argv) : action.mutating;
}
