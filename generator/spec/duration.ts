/** `60s`, `5m`, `1h`, `500ms` (the spec's `duration` shape) in seconds; NaN for anything else. */
export function durationSeconds(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return { ms: value / 1000, s: value, m: value * 60, h: value * 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}
