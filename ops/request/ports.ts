import type { ProgressStep } from '../action.js';
import type { Actor } from '../actor.js';
import type { PreparedAction } from '../pipeline/prepared-action.js';

/** What an authorization policy is asked: may this person run this action (of this kind) on this cluster? */
export interface AuthQuery {
  actor: Actor;
  action: string;
  mutating: boolean;
  /** The cluster's name as the surface knows it; undefined when the request names none (help, alerts). */
  cluster: string | undefined;
}

export type AuthDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * The authorization port: the bot's rules implement it; the terminal's is "the operating-system
 * user may" (whoever can read the folder can run docker on it anyway). A policy that throws is a
 * denial (authorize.ts): fail closed.
 */
export interface AuthorizationPolicy {
  check(query: AuthQuery): Promise<AuthDecision>;
}

/**
 * The confirmation port. `confirmed` runs now; `declined` cancels (audited); `deferred`: the
 * answer comes later (Slack's buttons): the runner stops with `needs-confirmation` and the
 * surface resumes it with the same prepared action when someone presses. Throwing (no terminal
 * to ask at) cancels with that error.
 */
export interface Confirmer {
  confirm(prepared: PreparedAction): Promise<'confirmed' | 'declined' | 'deferred'>;
}

/** What the surface wants to see of a run: progress, the stop signal, and its own error wording. */
export interface RunHooks {
  progress?: (step: ProgressStep) => void;
  /** Aborted when the surface stops: an action not started yet is not started; a running one stops at its next safe step. */
  signal?: AbortSignal;
  /** Called once, just before the action starts (the bot posts its live message then). */
  beforeStart?: (prepared: PreparedAction) => Promise<void>;
  /**
   * The audit detail for an error: default a UserError's first line, for anything else only its
   * kind (a bug's message may carry what no log should). The bot returns "error id …".
   */
  describeError?: (error: unknown) => string;
}
