import type { ActionDefinition } from '../action.js';
import type { Actor } from '../actor.js';
import type { ClusterHandle } from '../cluster-handle.js';

/**
 * An action ready to run: its cluster loaded, its arguments validated against the manifest
 * (no process has started). A surface may hold it while it asks for a confirmation, then hand
 * it to `execute`, which runs exactly what was shown.
 */
export interface PreparedAction {
  readonly action: ActionDefinition;
  readonly cluster: ClusterHandle;
  readonly actor: Actor;
  readonly argv: readonly string[];
  /** The parsed, validated arguments. */
  readonly args: unknown;
  /** Changes the cluster with these arguments (lock, mutating authorization rule). */
  readonly mutating: boolean;
  /** Asks for confirmation before it runs. */
  readonly dangerous: boolean;
  /** One line for prompts and confirmations: "drain rabbit2 on seed". */
  readonly summary: string;
}

/** A cluster and an actor, for audit lines that are not an action run (a denial, a confirmation asked). */
export interface AuditSubject {
  readonly cluster: ClusterHandle;
  readonly actor: Actor;
  readonly action: string;
  readonly argv: readonly string[];
}
