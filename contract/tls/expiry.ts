/** How close a certificate is to its end; status and check report it per node. */

/** Fewer days left than this: warn. */
export const EXPIRY_WARN_DAYS = 30;
/** Fewer days left than this: critical. */
export const EXPIRY_CRITICAL_DAYS = 7;

export type ExpiryState = 'ok' | 'warn' | 'critical' | 'expired';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * 'expired' once `now` is past notAfter (RFC 5280: the certificate is valid through notAfter,
 * inclusive), 'critical' with less than 7 days left, 'warn' with less than 30, else 'ok'.
 */
export function expiryState(notAfter: Date, now: Date): ExpiryState {
  const left = notAfter.getTime() - now.getTime();
  if (left < 0) return 'expired';
  if (left < EXPIRY_CRITICAL_DAYS * DAY_MS) return 'critical';
  if (left < EXPIRY_WARN_DAYS * DAY_MS) return 'warn';
  return 'ok';
}

/** Whole days left (negative once expired), for messages like "expires in 5 days". */
export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}
