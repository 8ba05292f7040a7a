import { resolve } from 'node:path';
import { ALL_ACTIONS, ActionTable } from './action-table.js';
import type { ActionResult, AnyActionDefinition, ProgressStep } from '../action.js';
import type { AuditOutcome } from '../audit.js';
import type { Actor } from '../actor.js';
import { isMutating, type CatalogEntry } from '../catalog.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { readClusterSecrets } from '../cluster-secrets.js';
import { AuditUnavailableError, ClusterBusyError, InvalidArgumentError } from '../errors.js';
import { loadCluster } from '../load-cluster.js';
import { FileClusterLock, type ClusterLock, type LockHolder } from '../lock.js';
import type { OpsTools } from '../ops-tools.js';
import { systemClock } from '../../lib/clock.js';
import { isUserError } from '../../lib/errors.js';
import { observeCluster, type ObserveOptions, type Observation } from '../watch/observe.js';
import { ClusterAudit, type AuditTarget } from './cluster-audit.js';
import { busyText } from './lock-message.js';
import type { AuditSubject, PreparedAction } from './prepared-action.js';

export interface OpsCoreOptions {
  /** The actions (default: every real one). Tests give actions whose run() works in memory. */
  actions?: readonly AnyActionDefinition[];
  /** Default: the lock state in each cluster folder, shared by every process on the machine. */
  lock?: ClusterLock;
  /** Default: each cluster's own audit.log. */
  audit?: AuditTarget;
  /** Fake runner, probes, clock for tests; real ones otherwise. */
  tools?: Partial<OpsTools>;
  loadCluster?: (dir: string) => Promise<ClusterHandle>;
  now?: () => number;
}

export interface PrepareRequest {
  action: string;
  argv: readonly string[];
  actor: Actor;
  /** The generated cluster folder (with rmq-compose.json). */
  dir: string;
}

export interface ExecuteOptions {
  progress?: (step: ProgressStep) => void;
  signal?: AbortSignal;
  /** When the request arrived (a confirmation may lie between); default: now. */
  startedAt?: number;
  /** Added to the outcome's audit line, e.g. "approved by U123". */
  detail?: string;
  /** Told when the outcome line could not be written (the action has run: no exception then). */
  warn?: (message: string) => void;
  /**
   * The audit detail for an error the action threw. Default: a UserError's message; for anything
   * else only its kind, since a bug's message may carry what no log should (the surface logs the
   * details under an id and returns "error id …" here).
   */
  describeError?: (error: unknown) => string;
}

/**
 * The whole action pipeline, the same for every surface: `prepare` (load the cluster, validate
 * the arguments, know the action's kind), then `execute` (lock, record the intent, run, record
 * the outcome). The request runner (ops/request) puts authorization, the busy check and the
 * confirmation around them; surfaces only parse and render.
 * Every line goes to the cluster's own audit log, whoever ran it and from where.
 */
export class OpsCore {
  readonly #table: ActionTable;
  readonly #lock: ClusterLock;
  readonly #audit: AuditTarget;
  readonly #tools: Partial<OpsTools> | undefined;
  readonly #load: (dir: string) => Promise<ClusterHandle>;
  readonly #now: () => number;

  constructor(options: OpsCoreOptions = {}) {
    this.#table = new ActionTable(options.actions ?? ALL_ACTIONS);
    this.#lock = options.lock ?? new FileClusterLock();
    this.#audit = options.audit ?? 'cluster-folder';
    this.#tools = options.tools;
    this.#load = options.loadCluster ?? loadCluster;
    this.#now = options.now ?? systemClock;
  }

  /** The core's clock (audit durations). */
  now(): number {
    return this.#now();
  }

  /** The actions this core runs, for help and authorization rules. */
  entries(): readonly CatalogEntry[] {
    return this.#table.list();
  }

  entry(name: string): CatalogEntry | undefined {
    return this.#table.get(name);
  }

  /**
   * Load and validate; throws what is wrong (ClusterNotFoundError, InvalidArgumentError …).
   * Not audited here: the request runner (ops/request) writes every line about a request.
   */
  async prepare(request: PrepareRequest): Promise<PreparedAction> {
    const cluster = await this.#load(request.dir);
    const action = this.#table.get(request.action);
    if (!action)
      throw new InvalidArgumentError(
        `unknown action "${request.action}"; actions: ${this.#table
          .list()
          .map((a) => a.name)
          .join(', ')}`,
      );
    const args = action.parse(request.argv, cluster.manifest);
    const mutating = isMutating(action, request.argv);
    const words = [action.name, ...request.argv].join(' ');
    return {
      action,
      cluster,
      actor: request.actor,
      argv: request.argv,
      args,
      mutating,
      // a request that changes nothing (a dry run, a list) is never asked about
      dangerous: action.dangerous && mutating,
      summary: `${words} on ${cluster.manifest.name}`,
    };
  }

  /**
   * Lock (mutating actions), write the intent, run, write the outcome, release. An intent that
   * cannot be written stops the action before it starts (AuditUnavailableError). Resolves with
   * the result (ok: false is a failed action); throws UserErrors as they are.
   */
  async execute(p: PreparedAction, options: ExecuteOptions = {}): Promise<ActionResult> {
    const startedAt = options.startedAt ?? this.#now();
    const audit = await this.#auditOf(p.cluster);
    const line = (result: AuditOutcome, detail?: string) => ({
      actor: p.actor,
      action: p.action.name,
      argv: p.argv,
      result,
      startedAt,
      ...(detail ? { detail } : {}),
    });
    // the clusters this run holds besides its own (migrate's green): locked, and told the outcome too
    const others: Array<{ audit: ClusterAudit; release: () => Promise<void> }> = [];
    const outcome = async (result: AuditOutcome, detail?: string) => {
      const withExtra = [detail, options.detail].filter(Boolean).join('; ');
      for (const log of [audit, ...others.map((o) => o.audit)])
        await log
          .write(line(result, withExtra || undefined))
          .catch((error: unknown) => options.warn?.(`the outcome of ${p.summary} could not be written to ${log.where}: ${errorCode(error)}`));
    };
    const held = new Set<string>([resolve(p.cluster.dir)]);
    const alsoHold = async (other: ClusterHandle): Promise<void> => {
      // held already (its own cluster, or asked twice): nothing more to take
      if (held.has(resolve(other.dir))) return;
      const got = await this.#lock.acquire(other, { actor: p.actor, action: p.action.name, args: p.argv, since: new Date(this.#now()) });
      if ('busy' in got) throw new ClusterBusyError(busyText(other.manifest.name, got.busy, this.#now()), got.busy);
      try {
        const otherAudit = await this.#auditOf(other);
        await otherAudit.write(line('started', `${p.summary} (changes ${other.manifest.name} too)`));
        others.push({ audit: otherAudit, release: () => got.lease.release() });
        held.add(resolve(other.dir));
      } catch (error) {
        await got.lease.release();
        throw new AuditUnavailableError(`cannot write the audit log of ${other.manifest.name} (${errorCode(error)}), so ${p.summary} goes no further`, error);
      }
    };

    let release: (() => Promise<void>) | undefined;
    if (p.mutating && !p.action.withoutLock) {
      const got = await this.#lock.acquire(p.cluster, { actor: p.actor, action: p.action.name, args: p.argv, since: new Date(this.#now()) });
      if ('busy' in got) {
        await outcome('busy', `held by ${got.busy.actor.id} (${got.busy.action})`);
        throw new ClusterBusyError(busyText(p.cluster.manifest.name, got.busy, this.#now()), got.busy);
      }
      release = () => got.lease.release();
    }
    try {
      try {
        await audit.write(line('started', p.summary));
      } catch (error) {
        throw new AuditUnavailableError(
          `cannot write the audit log ${audit.where} (${errorCode(error)}), so ${p.summary} was not run. Free disk space or fix the file's permissions`,
          error,
        );
      }
      let result: ActionResult;
      try {
        result = await p.action.run(
          {
            cluster: p.cluster,
            actor: p.actor,
            progress: options.progress ?? (() => undefined),
            lock: this.#lock,
            alsoHold,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(this.#tools ? { tools: this.#tools } : {}),
          },
          p.args,
        );
      } catch (error) {
        await outcome(isUserError(error) ? 'failed' : 'error', (options.describeError ?? describeError)(error));
        throw error;
      }
      await outcome(result.ok ? 'ok' : 'failed', result.headline);
      return result;
    } finally {
      for (const other of others.splice(0)) await other.release();
      await release?.();
    }
  }

  /** Audit something that is not a run: a denial, a confirmation asked for, cancelled or expired. */
  async record(subject: AuditSubject | PreparedAction, result: AuditOutcome, detail?: string, startedAt = this.#now()): Promise<void> {
    const audit = await this.#auditOf(subject.cluster);
    const action = typeof subject.action === 'string' ? subject.action : subject.action.name;
    await audit.write({ actor: subject.actor, action, argv: subject.argv, result, startedAt, ...(detail ? { detail } : {}) });
  }

  /**
   * Audit a line in the cluster's log at `dir` without showing anyone anything about the
   * cluster: false when the folder is not a readable cluster (the caller writes it elsewhere).
   */
  async recordAt(
    dir: string,
    entry: { actor: Actor; action: string; argv: readonly string[]; result: AuditOutcome; detail?: string; startedAt?: number },
  ): Promise<boolean> {
    const cluster = await this.#load(dir).catch(() => undefined);
    if (!cluster) return false;
    await this.record({ cluster, actor: entry.actor, action: entry.action, argv: entry.argv }, entry.result, entry.detail, entry.startedAt);
    return true;
  }

  /** Who holds the cluster now, if anyone: checked before a confirmation is asked for. */
  async holder(p: PreparedAction): Promise<LockHolder | undefined> {
    return p.mutating && !p.action.withoutLock ? this.#lock.holder(p.cluster) : undefined;
  }

  /**
   * The watcher's poll of the cluster at `dir`: check's findings plus a metrics sample, with no
   * lock and no audit line (it changes nothing; see watch/observe.ts). Throws when the cluster
   * cannot be asked at all.
   */
  async observe(dir: string, options: ObserveOptions = {}): Promise<Observation> {
    return observeCluster(await this.#load(dir), this.#tools, options);
  }

  /** Every secret of the cluster at `dir` (to mask in a surface's own output); [] when unreadable. */
  async secretsOf(dir: string): Promise<string[]> {
    const cluster = await this.#load(dir).catch(() => undefined);
    return cluster ? (await readClusterSecrets(cluster)).all : [];
  }

  // opened per use, not cached: a long-running bot sees a .env changed since it started
  #auditOf(cluster: ClusterHandle): Promise<ClusterAudit> {
    return ClusterAudit.open(cluster, this.#audit, this.#now);
  }
}

/** The default audit detail for an error: a UserError's first line; for a bug only its kind. */
export function describeError(error: unknown): string {
  if (isUserError(error)) return error.message.split('\n')[0]!;
  return `unexpected ${error instanceof Error ? error.name : typeof error} (a bug: the terminal printed the details)`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
}
