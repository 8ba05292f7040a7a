import type { AuthDecision, AuthorizationPolicy, AuthQuery } from './ports.js';

/** Said when the policy could not decide (a user-group lookup failed): retrying usually helps. */
export const UNCHECKED_REASON = 'your permissions could not be checked just now; try again shortly';

/**
 * The one fail-closed authorization: a policy that throws has not shown the person to be allowed,
 * so it is a denial like any other (the caller audits it). `warn` hears why, for the operator.
 */
export async function authorizeFailClosed(policy: AuthorizationPolicy, query: AuthQuery, warn: (message: string) => void): Promise<AuthDecision> {
  try {
    return await policy.check(query);
  } catch (error) {
    warn(`authorization lookup failed: ${error instanceof Error ? error.message : String(error)}`);
    return { allowed: false, reason: UNCHECKED_REASON };
  }
}

/** The terminal's policy: the operating-system user may (the folder's permissions already decided). */
export const OPERATING_SYSTEM_USER_MAY: AuthorizationPolicy = { check: async () => ({ allowed: true }) };
