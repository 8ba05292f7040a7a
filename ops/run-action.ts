import { join } from 'node:path';
import type { AuditOutcome, AuditSink, ClusterLock } from '../bot/ports.js';
import { isUserError } from '../lib/errors.js';
import { isMutating, type ActionDefinition, type ActionResult, type Actor, type ProgressStep } from './actions/action.js';
import { createActionTable } from './actions/action-table.js';
import { FileAuditSink } from './audit.js';
import { readClusterSecrets } from './cluster-secrets.js';
import { CancelledError, ClusterBusyError, InvalidArgumentError } from './errors.js';
import { loadCluster } from './load-cluster.js';
import { FileClusterLock } from './lock.js';
import type { OpsTools } from './ops-tools.js';

export interface RunActionOptions {
  /** The generated cluster folder (with rmq-compose.json). */
  dir: string;
  actor: Actor;
  progress?: (step: ProgressStep) => void;
  /** Default: a JSON-lines file, `auditFile` or <dir>/audit.log. */
  audit?: AuditSink;
  auditFile?: string;
  /** Default: the lock file in the cluster folder (shared with the bot). */
  lock?: ClusterLock;
  /** Fake runner, probes, clock for tests; real ones otherwise. */
  tools?: Partial<OpsTools>;
  signal?: AbortSignal;
  /** Asked after argv is validated, before the lock and the run (the CLI's y/N for dangerous actions). */
  confirm?: (action: ActionDefinition, argv: readonly string[]) => Promise<boolean>;
}

/**
 * One action end to end, as every surface but the bot runs it: load the cluster, parse and
 * validate argv (before any process starts), take the lock if the action changes the cluster,
 * run, and write one audit line whatever happens. Throws UserErrors as they are; resolves with
 * the result (ok: false is a failed action, not an exception).
 */
export async function runAction(name: string, argv: readonly string[], options: RunActionOptions): Promise<ActionResult> {
  const table = createActionTable();
  const action = table.get(name);
  if (!action) throw new InvalidArgumentError(`unknown action "${name}"; actions: ${table.list().map((a) => a.name).join(', ')}`);
  const cluster = await loadCluster(options.dir);
  const secrets = await readClusterSecrets(cluster);
  const audit = options.audit ?? new FileAuditSink(options.auditFile ?? join(cluster.dir, 'audit.log'), () => secrets.all);
  const started = Date.now();
  const write = (result: AuditOutcome, detail?: string) =>
    audit.record({ time: new Date(started).toISOString(), actor: options.actor, action: name, cluster: cluster.manifest.name, args: argv, result, durationMs: Date.now() - started, ...(detail ? { detail } : {}) });

  let args: unknown;
  try {
    args = action.parse(argv, cluster.manifest);
  } catch (error) {
    await write('rejected', error instanceof Error ? error.message : String(error));
    throw error;
  }
  if (options.confirm && !(await options.confirm(action, argv))) {
    await write('cancelled');
    throw new CancelledError(`${name} cancelled; nothing was changed`);
  }
  const lock = options.lock ?? new FileClusterLock();
  let release: (() => Promise<void>) | undefined;
  if (isMutating(action, argv)) {
    const got = await lock.acquire(cluster, { actor: options.actor, action: name, args: argv, since: new Date() });
    if ('busy' in got) {
      const h = got.busy;
      await write('busy', `held by ${h.actor.id} (${h.action})`);
      throw new ClusterBusyError(`${cluster.manifest.name} is busy: ${h.actor.via} user ${h.actor.id} is running ${[h.action, ...h.args].join(' ')} since ${h.since.toISOString()}`);
    }
    release = () => got.lease.release();
  }
  try {
    const result = await action.run({ cluster, actor: options.actor, progress: options.progress ?? (() => undefined), ...(options.signal ? { signal: options.signal } : {}), ...(options.tools ? { tools: options.tools } : {}) }, args);
    await write(result.ok ? 'ok' : 'failed', result.headline);
    return result;
  } catch (error) {
    await write(isUserError(error) ? 'failed' : 'error', error instanceof Error ? error.message.split('\n')[0] : String(error));
    throw error;
  } finally {
    await release?.();
  }
}
