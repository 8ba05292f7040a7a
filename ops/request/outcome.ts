import type { ActionResult } from '../action.js';
import type { LockHolder } from '../lock.js';
import type { PreparedAction } from '../pipeline/prepared-action.js';

/**
 * How a request ended, platform-neutral: each surface renders it (the terminal prints and picks
 * an exit code, the bot posts blocks). Every kind has been audited in the cluster's log already.
 */
export type RequestOutcome =
  /** The policy said no (or could not be asked). Nothing was loaded or shown. */
  | { kind: 'denied'; reason: string }
  /** The request could not be prepared: unknown action or cluster, bad arguments, or a bug (`error`). */
  | { kind: 'rejected'; error: unknown }
  /** Someone else holds the cluster; nothing was asked or run. */
  | { kind: 'busy'; prepared: PreparedAction; holder: LockHolder }
  /** Waiting for a confirmation that comes later: resume with `RequestRunner.resume`. */
  | { kind: 'needs-confirmation'; prepared: PreparedAction }
  /** Declined at the prompt, cancelled, or not started because the surface is stopping; `error` says why. */
  | { kind: 'cancelled'; prepared: PreparedAction; error: Error }
  /** The action ran: `result.ok` false is a failed action. */
  | { kind: 'done'; prepared: PreparedAction; result: ActionResult }
  /** The action threw (a UserError, or a bug). */
  | { kind: 'failed'; prepared: PreparedAction; error: unknown };
