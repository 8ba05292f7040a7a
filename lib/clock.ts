/**
 * The one place rmq-compose reads the wall clock. Everything that depends on today (support
 * windows, certificate issuance and expiry, backup names, lock, audit and alert times) takes a
 * `Clock` and defaults to `systemClock`; a lint rule (eslint.config.js) refuses `Date.now()` and
 * `new Date()` anywhere else, so a test can pin every date by passing its own clock.
 *
 * `RMQ_COMPOSE_NOW` (an ISO date or instant, e.g. 2027-01-15 or 2027-01-15T08:00:00Z) starts the
 * clock of a whole process at that instant; it then advances in real time, so waits and deadlines
 * still work. It is how a test pins the date of a CLI it starts, and how an operator asks what
 * `validate` or `check` will say on a later day.
 */
import { UserError } from './errors.js';

export type Clock = () => number;

export const CLOCK_ENV = 'RMQ_COMPOSE_NOW';

/** Milliseconds to add to the real clock: 0 unless RMQ_COMPOSE_NOW says when "now" starts. */
let offsetMs: number | undefined;

export const systemClock: Clock = () => {
  offsetMs ??= clockOffset(process.env[CLOCK_ENV], Date.now());
  return Date.now() + offsetMs;
};

/** The offset that makes `realNow` read as `start`; a value that is no date is refused, never ignored. */
export function clockOffset(start: string | undefined, realNow: number): number {
  if (start === undefined || start === '') return 0;
  const at = parseInstant(start);
  if (at === undefined)
    throw new ClockSettingError(`${CLOCK_ENV}="${start}" is not a date: give an ISO date or instant such as 2027-01-15 or 2027-01-15T08:00:00Z, or unset it`);
  return at - realNow;
}

function parseInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(text)) return undefined;
  const at = Date.parse(/T/.test(text) ? text : `${text}T00:00:00Z`);
  return Number.isNaN(at) ? undefined : at;
}

/** A misconfigured RMQ_COMPOSE_NOW: a user mistake, shown as written (exit 2, like a bad argument). */
export class ClockSettingError extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** A clock that always reads `instant` (tests, and "what would check say on this day"). */
export function fixedClock(instant: string | number | Date): Clock {
  const at = typeof instant === 'number' ? instant : typeof instant === 'string' ? parseInstant(instant) : instant.getTime();
  if (at === undefined || Number.isNaN(at)) throw new Error(`fixedClock: "${String(instant)}" is not a date`);
  return () => at;
}

/** The clock's UTC calendar date, YYYY-MM-DD. */
export function utcDay(clock: Clock): string {
  return new Date(clock()).toISOString().slice(0, 10);
}
