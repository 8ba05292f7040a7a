import type { Clock } from '../../lib/clock.js';

/**
 * A clock that reads `iso` now and runs on from there: the date is the test's choice, while waits
 * and deadlines still advance (a frozen clock would stall every poll).
 */
export function clockFrom(iso: string): Clock {
  const offset = Date.parse(iso) - Date.now();
  if (Number.isNaN(offset)) throw new Error(`clockFrom: "${iso}" is not a date`);
  return () => Date.now() + offset;
}

/**
 * The day e2e tests judge a 4.3 cluster's health on: 4.3 (the newest line the Debian images run)
 * and 4.4 are both in community support then (contract/rabbitmq-versions.ts), so `check` speaks
 * of the cluster, never of the calendar the suite happens to run on.
 */
export const DAY_4_3_SUPPORTED = '2026-11-15T12:00:00Z';
