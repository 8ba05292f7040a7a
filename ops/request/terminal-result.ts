import type { ActionResult } from '../action.js';
import { CancelledError, ClusterBusyError, DeniedError } from '../errors.js';
import { busyText } from '../pipeline/lock-message.js';
import type { RequestOutcome } from './outcome.js';

/**
 * An outcome as a caller that wants a value or an exception sees it (the terminal, scripts,
 * tests): the action's result, or the typed error whose message and exit code say what happened.
 */
export function resultOrThrow(outcome: RequestOutcome, now: () => number): ActionResult {
  switch (outcome.kind) {
    case 'done':
      return outcome.result;
    case 'denied':
      throw new DeniedError(`not allowed: ${outcome.reason}`);
    case 'busy':
      throw new ClusterBusyError(busyText(outcome.prepared.cluster.manifest.name, outcome.holder, now()), outcome.holder);
    case 'needs-confirmation':
      throw new CancelledError(`${outcome.prepared.summary} needs a confirmation that cannot be given here; nothing was changed`);
    case 'rejected':
    case 'failed':
      throw outcome.error;
    case 'cancelled':
      throw outcome.error;
  }
}
