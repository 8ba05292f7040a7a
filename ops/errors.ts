import { UserError } from '../lib/errors.js';
import type { LockHolder } from './lock.js';

/**
 * The operations core's user-facing errors. Each says what to do next; exit codes let scripts
 * tell "you typed it wrong" (2) from "the cluster said no" (3) from "someone else is busy" (75).
 */

/** Bad input: unknown node, malformed name or number. Raised before any process starts. */
export class InvalidArgumentError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** The action would be unsafe or cannot apply to this cluster (e.g. mirroring on 4.x). */
export class RefusedError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 3 });
  }
}

/** No generated cluster at the folder, or its manifest is not one we can read. */
export class ClusterNotFoundError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** Another person or process holds the cluster's lock; `holder` says who, what, since when. */
export class ClusterBusyError extends UserError {
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message, { exitCode: 75 });
  }
}

/** The audit log cannot take the record of an action about to run: it is not run. */
export class AuditUnavailableError extends UserError {
  constructor(message: string, cause?: unknown) {
    super(message, { exitCode: 74, cause });
  }
}

/** Neither Docker Compose v2 nor v1 can be run, or the engine cannot be reached. */
export class DockerUnavailableError extends UserError {
  constructor(message: string, cause?: unknown) {
    super(message, { exitCode: 1, cause });
  }
}

/** A wait (healthy, clustered) ran past its deadline. */
export class DeadlineError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 1 });
  }
}

/** The authorization policy said no; `reason` never names a cluster the person may not know of. */
export class DeniedError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 77 });
  }
}

/** The person said no at the confirmation prompt (or could not be asked). */
export class CancelledError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 1 });
  }
}

/**
 * `compose up` failed on some machines of a cluster and may have succeeded on others: says
 * which were changed and which failed, so the person knows the state before running it again.
 */
export class MachinesFailedError extends UserError {
  constructor(
    message: string,
    readonly changed: readonly string[],
    readonly failed: readonly string[],
  ) {
    super(message, { exitCode: 1 });
  }
}
