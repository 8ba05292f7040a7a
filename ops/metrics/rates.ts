import type { Point } from './metric-sample.js';

/**
 * Per-second rates from cumulative counters sampled over time (oldest first). A counter that
 * falls (a node restarted and its statistics began again) gives no rate for that step rather
 * than a negative one; samples with no counter are skipped.
 */
export function ratesFromCounters(samples: ReadonlyArray<{ t: number; v: number | undefined }>): Point[] {
  const out: Point[] = [];
  let prev: { t: number; v: number } | undefined;
  for (const s of samples) {
    if (s.v === undefined) continue;
    if (prev && s.t > prev.t && s.v >= prev.v) out.push({ t: s.t, v: ((s.v - prev.v) * 1000) / (s.t - prev.t) });
    prev = { t: s.t, v: s.v };
  }
  return out;
}

/** Mean of the points with t in [from, to]; undefined when none. */
export function meanBetween(points: readonly Point[], from: number, to: number): number | undefined {
  const inside = points.filter((p) => p.t >= from && p.t <= to);
  return inside.length ? inside.reduce((sum, p) => sum + p.v, 0) / inside.length : undefined;
}
