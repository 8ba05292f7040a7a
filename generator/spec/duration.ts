import { shown } from '../../lib/zod-issues.js';

/** `60s`, `5m`, `1h`, `500ms`: the forms nginx and humans both read (the spec's `duration` shape). */
export const DURATION = /^\d+(ms|s|m|h)$/;

/** Prometheus' retention (--storage.tsdb.retention.time): days, hours, weeks, years. */
export const RETENTION = /^\d+(h|d|w|y)$/;

/** The message for a value that is not a duration: what was written, and the format. */
export function notADuration(value: unknown): string {
  return `${shown(value)} is not a duration; write a number with a unit: 90s, 5m, 1h (or 500ms)`;
}

export function notARetention(value: unknown): string {
  return `${shown(value)} is not a retention time; write a number with a unit: 15d, 12h, 2w, 1y`;
}

/** A duration in seconds; NaN for anything else. */
export function durationSeconds(text: string): number {
  const match = DURATION.exec(text);
  if (!match) return NaN;
  const value = Number.parseInt(text, 10);
  return { ms: value / 1000, s: value, m: value * 60, h: value * 3600 }[match[1] as 'ms' | 's' | 'm' | 'h'];
}
