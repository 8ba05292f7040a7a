import type { ActionResult, ProgressStep } from './actions/action.js';
import type { AuditSink } from './audit.js';
import type { Actor } from './actor.js';
import { CancelledError } from './errors.js';
import type { ClusterLock } from './lock.js';
import type { OpsTools } from './ops-tools.js';
import { OpsCore } from './pipeline/ops-core.js';
import type { PreparedAction } from './pipeline/prepared-action.js';

export interface RunActionOptions {
  /** The generated cluster folder (with rmq-compose.json). */
  dir: string;
  actor: Actor;
  progress?: (step: ProgressStep) => void;
  /** Default: <dir>/audit.log; `auditFile` moves it, `audit` replaces it (tests). */
  audit?: AuditSink;
  auditFile?: string;
  lock?: ClusterLock;
  tools?: Partial<OpsTools>;
  signal?: AbortSignal;
  /** Asked for dangerous actions after the arguments are validated, before the lock and the run. */
  confirm?: (prepared: PreparedAction) => Promise<boolean>;
  warn?: (message: string) => void;
}

/**
 * One action end to end, as the terminal runs it: the pipeline's prepare, the confirmation,
 * then its execute. The bot calls the same prepare and execute with its own steps between.
 */
export async function runAction(name: string, argv: readonly string[], options: RunActionOptions): Promise<ActionResult> {
  const core = new OpsCore({
    ...(options.lock ? { lock: options.lock } : {}),
    ...(options.tools ? { tools: options.tools } : {}),
    audit: options.audit ? { sink: options.audit } : options.auditFile ? { file: options.auditFile } : 'cluster-folder',
  });
  const prepared = await core.prepare({ action: name, argv, actor: options.actor, dir: options.dir });
  if (prepared.dangerous && options.confirm && !(await options.confirm(prepared))) {
    await core.record(prepared, 'cancelled').catch(() => undefined);
    throw new CancelledError(`${name} cancelled; nothing was changed`);
  }
  return core.execute(prepared, { ...(options.progress ? { progress: options.progress } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.warn ? { warn: options.warn } : {}) });
}
