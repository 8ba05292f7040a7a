import type { AuditOutcome, AuditSink } from '../audit.js';
import { MaskedAuditSink } from '../audit.js';
import type { Actor } from '../actor.js';
import { isMutating } from '../catalog.js';
import { CancelledError, ClusterBusyError, InvalidArgumentError } from '../errors.js';
import { describeError, type OpsCore } from '../pipeline/ops-core.js';
import type { PreparedAction } from '../pipeline/prepared-action.js';
import { isUserError } from '../../lib/errors.js';
import { authorizeFailClosed } from './authorize.js';
import { needsConfirmation } from './confirmation-rule.js';
import type { RequestOutcome } from './outcome.js';
import type { AuthDecision, AuthorizationPolicy, Confirmer, RunHooks } from './ports.js';
import type { OpsRequest } from './request.js';

export interface RequestRunnerOptions {
  core: OpsCore;
  policy: AuthorizationPolicy;
  /**
   * Lines about no loadable cluster (help, an unknown action, a folder that is not a cluster):
   * the surface's own log. Without one (the terminal) such lines are not written.
   */
  ownLog?: AuditSink;
  /** Masked in the surface's own log (its tokens, every cluster's secrets); a cluster's log masks its own. */
  secrets?: () => readonly string[];
  /** Told what no person needs to see: a failed authorization lookup. */
  warn?: (message: string) => void;
  /** Told when a line about a request (or a run's outcome) could not be written (default: warn). */
  error?: (message: string) => void;
}

/** A request stopped at `needs-confirmation`, resumed when someone answers. */
export interface Resumption {
  request: OpsRequest;
  prepared: PreparedAction;
}

/** Who answered a confirmation, and whether they must themselves be allowed (a second person). */
export interface Approval {
  by: Actor;
  secondPerson: boolean;
  /** When they pressed (the run's audit time). */
  at: number;
}

/**
 * The one request path, for every surface (botkube's Execute): parse → authorize → prepare →
 * busy → confirm → lock → audit → run, ending in a platform-neutral RequestOutcome that the
 * surface renders. Every line about a request goes to its cluster's audit.log, whoever asked and
 * from where; only lines about no loadable cluster go to the surface's own log. Never throws
 * (except from a hook): every ending is an outcome.
 */
export class RequestRunner {
  readonly #core: OpsCore;
  readonly #policy: AuthorizationPolicy;
  readonly #ownLog: AuditSink | undefined;
  readonly #warn: (message: string) => void;
  readonly #error: (message: string) => void;

  constructor(options: RequestRunnerOptions) {
    this.#core = options.core;
    this.#policy = options.policy;
    this.#ownLog = options.ownLog ? new MaskedAuditSink(options.ownLog, options.secrets ?? (() => [])) : undefined;
    this.#warn = options.warn ?? (() => undefined);
    this.#error = options.error ?? this.#warn;
  }

  get core(): OpsCore {
    return this.#core;
  }

  /** From the request to its outcome; stops at `needs-confirmation` when the confirmer defers. */
  async run(request: OpsRequest, confirmer: Confirmer, hooks: RunHooks = {}): Promise<RequestOutcome> {
    const entry = this.#core.entry(request.action);
    if (!entry) {
      const error = new InvalidArgumentError(`unknown action "${request.action}"`);
      await this.note(request, 'rejected', 'unknown action');
      return { kind: 'rejected', error };
    }
    const decision = await this.authorize(request, isMutating(entry, request.argv));
    if (!decision.allowed) return { kind: 'denied', reason: decision.reason };

    let prepared: PreparedAction;
    try {
      prepared = await this.#core.prepare({ action: request.action, argv: request.argv, actor: request.actor, dir: request.dir ?? '' });
    } catch (error) {
      await this.note(request, isUserError(error) ? 'rejected' : 'error', describe(error, hooks));
      return { kind: 'rejected', error };
    }

    // before asking: nobody confirms a change that cannot run now
    const busy = await this.#busy(request, prepared);
    if (busy) return busy;

    if (needsConfirmation(prepared, request.origin)) {
      let answer: 'confirmed' | 'declined' | 'deferred';
      try {
        answer = await confirmer.confirm(prepared);
      } catch (error) {
        await this.note(prepared, 'cancelled', describe(error, hooks), request.startedAt);
        return { kind: 'cancelled', prepared, error: error instanceof Error ? error : new CancelledError(String(error)) };
      }
      if (answer === 'deferred') {
        await this.note(prepared, 'pending', 'awaiting confirmation', request.startedAt);
        return { kind: 'needs-confirmation', prepared };
      }
      if (answer === 'declined') {
        await this.note(prepared, 'cancelled', undefined, request.startedAt);
        return { kind: 'cancelled', prepared, error: new CancelledError(`${prepared.action.name} cancelled; nothing was changed`) };
      }
    }
    return this.#execute(prepared, request.startedAt, hooks);
  }

  /**
   * The confirmation came: a second person must be allowed the same action in the same place;
   * the cluster must not have become busy meanwhile; then exactly the prepared action runs.
   */
  async resume(waiting: Resumption, approval: Approval, hooks: RunHooks = {}): Promise<RequestOutcome> {
    const { request, prepared } = waiting;
    if (approval.secondPerson) {
      const decision = await authorizeFailClosed(
        this.#policy,
        { actor: approval.by, action: request.action, mutating: prepared.mutating, cluster: request.cluster },
        this.#warn,
      );
      if (!decision.allowed) {
        await this.note(prepared, 'denied', `approval by ${approval.by.id}: ${decision.reason}`, approval.at);
        return { kind: 'denied', reason: decision.reason };
      }
    }
    const busy = await this.#busy({ ...request, startedAt: approval.at }, prepared);
    if (busy) return busy;
    return this.#execute(prepared, approval.at, { ...hooks }, `${approval.secondPerson ? 'approved' : 'confirmed'} by ${approval.by.id}`);
  }

  /**
   * Someone drops a waiting request: the requester may; anyone else must be allowed the action
   * itself (who could approve may reject). A refusal is audited like any denial.
   */
  async cancel(waiting: Resumption, by: Actor): Promise<AuthDecision> {
    const { request, prepared } = waiting;
    if (by.id !== request.actor.id) {
      const decision = await authorizeFailClosed(
        this.#policy,
        { actor: by, action: request.action, mutating: prepared.mutating, cluster: request.cluster },
        this.#warn,
      );
      if (!decision.allowed) {
        await this.note(prepared, 'denied', `cancel by ${by.id}: ${decision.reason}`);
        return decision;
      }
    }
    await this.note(prepared, 'cancelled', `by ${by.id}`);
    return { allowed: true };
  }

  /**
   * The one fail-closed authorization: the policy's answer, a throw taken as a denial; every
   * denial audited (in the cluster's log when there is one) before the surface says anything.
   */
  async authorize(request: OpsRequest, mutating: boolean): Promise<AuthDecision> {
    const decision = await authorizeFailClosed(this.#policy, { actor: request.actor, action: request.action, mutating, cluster: request.cluster }, this.#warn);
    if (!decision.allowed) await this.note(request, 'denied', decision.reason);
    return decision;
  }

  /**
   * One audit line about a request: in its cluster's audit.log (a prepared action's, or the folder
   * the request names, when it is a cluster), else in the surface's own log. A line that cannot be
   * written is warned about, never thrown: the person's answer does not depend on it (runs are
   * different: execute refuses to start unrecorded).
   */
  async note(subject: OpsRequest | PreparedAction, result: AuditOutcome, detail?: string, startedAt?: number): Promise<void> {
    try {
      if (isPrepared(subject)) {
        await this.#core.record(subject, result, detail, startedAt);
        return;
      }
      const request = subject;
      const line = {
        actor: request.actor,
        action: request.action,
        argv: request.argv,
        result,
        startedAt: startedAt ?? request.startedAt,
        ...(detail !== undefined ? { detail } : {}),
      };
      if (request.dir && (await this.#core.recordAt(request.dir, line))) return;
      // the terminal has no log of its own: its person reads the answer (e.g. "not a generated cluster")
      if (!this.#ownLog) return;
      await this.#ownLog.record({
        time: new Date(line.startedAt).toISOString(),
        actor: request.actor,
        action: request.action,
        cluster: request.cluster,
        args: request.argv,
        result,
        durationMs: Math.max(0, this.#core.now() - line.startedAt),
        ...(detail !== undefined ? { detail } : {}),
      });
    } catch (error) {
      this.#error(`audit log write failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #busy(request: OpsRequest, prepared: PreparedAction): Promise<RequestOutcome | undefined> {
    const holder = await this.#core.holder(prepared);
    if (!holder) return undefined;
    await this.note(prepared, 'busy', `held by ${holder.actor.id} (${holder.action})`, request.startedAt);
    return { kind: 'busy', prepared, holder };
  }

  /** Lock, intent, run, outcome (OpsCore.execute); nothing starts once the surface is stopping. */
  async #execute(prepared: PreparedAction, startedAt: number, hooks: RunHooks, detail?: string): Promise<RequestOutcome> {
    if (hooks.signal?.aborted) {
      await this.note(prepared, 'cancelled', 'stopping; not started', startedAt);
      const reason: unknown = hooks.signal.reason;
      return { kind: 'cancelled', prepared, error: reason instanceof Error ? reason : new CancelledError(`${prepared.summary} was not started: stopping`) };
    }
    await hooks.beforeStart?.(prepared);
    try {
      const result = await this.#core.execute(prepared, {
        startedAt,
        ...(hooks.progress ? { progress: hooks.progress } : {}),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        ...(detail ? { detail } : {}),
        ...(hooks.describeError ? { describeError: hooks.describeError } : {}),
        // the action ran but its outcome line is missing: as loud as any unwritten line
        warn: this.#error,
      });
      return { kind: 'done', prepared, result };
    } catch (error) {
      // the lock taken between the busy check and now: execute audited it
      if (error instanceof ClusterBusyError) return { kind: 'busy', prepared, holder: error.holder };
      return { kind: 'failed', prepared, error };
    }
  }
}

function describe(error: unknown, hooks: RunHooks): string {
  return (hooks.describeError ?? describeError)(error);
}

function isPrepared(subject: OpsRequest | PreparedAction): subject is PreparedAction {
  return typeof subject.cluster === 'object';
}
