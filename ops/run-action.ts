import type { ActionResult, ProgressStep } from './action.js';
import type { AuditSink } from './audit.js';
import type { Actor } from './actor.js';
import type { ClusterLock } from './lock.js';
import type { OpsTools } from './ops-tools.js';
import { OpsCore } from './pipeline/ops-core.js';
import type { PreparedAction } from './pipeline/prepared-action.js';
import { OPERATING_SYSTEM_USER_MAY } from './request/authorize.js';
import type { AuthorizationPolicy } from './request/ports.js';
import { RequestRunner } from './request/request-runner.js';
import { resultOrThrow } from './request/terminal-result.js';
import { systemClock } from '../lib/clock.js';

export interface RunActionOptions {
  /** The generated cluster folder (with rmq-compose.json). */
  dir: string;
  actor: Actor;
  progress?: (step: ProgressStep) => void;
  /** Default: <dir>/audit.log; `audit` replaces it (tests). */
  audit?: AuditSink;
  lock?: ClusterLock;
  tools?: Partial<OpsTools>;
  signal?: AbortSignal;
  /** Default: the operating-system user may. */
  policy?: AuthorizationPolicy;
  /**
   * Asked when the one rule says so (confirmation-rule.ts), after the busy check, before the lock
   * and the run. Without it nothing is asked (scripts and tests that decided already).
   */
  confirm?: (prepared: PreparedAction) => Promise<boolean>;
  warn?: (message: string) => void;
}

/**
 * One action end to end as a value or an exception: the request runner (ops/request) with the
 * terminal's ports, its outcome turned into the result or a typed error. The CLI, the end-to-end
 * tests and the unit tests run actions through it.
 */
export async function runAction(name: string, argv: readonly string[], options: RunActionOptions): Promise<ActionResult> {
  const core = new OpsCore({
    ...(options.lock ? { lock: options.lock } : {}),
    ...(options.tools ? { tools: options.tools } : {}),
    audit: options.audit ? { sink: options.audit } : 'cluster-folder',
  });
  const runner = new RequestRunner({ core, policy: options.policy ?? OPERATING_SYSTEM_USER_MAY, ...(options.warn ? { warn: options.warn } : {}) });
  const confirm = options.confirm;
  const outcome = await runner.run(
    { actor: options.actor, origin: 'terminal', action: name, argv, dir: options.dir, startedAt: systemClock() },
    { confirm: async (p) => (!confirm || (await confirm(p)) ? 'confirmed' : 'declined') },
    { ...(options.progress ? { progress: options.progress } : {}), ...(options.signal ? { signal: options.signal } : {}) },
  );
  return resultOrThrow(outcome, systemClock);
}
