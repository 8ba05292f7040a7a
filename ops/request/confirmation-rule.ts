import type { RequestOrigin } from './request.js';

/**
 * The one rule for what is asked before it runs, for every surface: a dangerous action always;
 * any change to the cluster when the request came from an alert's button (one press on a message
 * posted by a machine should not change a cluster unseen).
 */
export function needsConfirmation(prepared: { readonly dangerous: boolean; readonly mutating: boolean }, origin: RequestOrigin): boolean {
  return prepared.dangerous || (prepared.mutating && origin === 'alert-button');
}
