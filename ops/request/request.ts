import type { Actor } from '../actor.js';

/**
 * Where a request came from. It is part of the request, not of the surface: the one rule for
 * what needs confirmation (confirmation-rule.ts) reads it, so a terminal and Slack cannot drift.
 * `alert-button`: a button on a watcher's alert, pressed perhaps without reading closely.
 */
export type RequestOrigin = 'terminal' | 'chat' | 'alert-button';

/** One request, the same shape from every surface: who, from where, which cluster, what words. */
export interface OpsRequest {
  readonly actor: Actor;
  readonly origin: RequestOrigin;
  /** The action's name as typed (lower case). */
  readonly action: string;
  readonly argv: readonly string[];
  /** The cluster's name as the surface knows it (the bot's configured name), for authorization; undefined: none named. */
  readonly cluster?: string;
  /** The generated cluster folder; its audit.log takes every line about this request. Undefined: the surface's own log. */
  readonly dir?: string;
  /** When it arrived (audit lines' time; a confirmation may lie between this and the run). */
  readonly startedAt: number;
}
