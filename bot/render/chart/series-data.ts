import type { ChartSeries } from './types.js';

export interface Point {
  t: number;
  v: number;
}

/** A series ready to draw: unbroken runs of points, and what the axis and legend need to know. */
export interface SeriesData {
  name: string;
  /** each run is drawn as one line; a run of one point as a dot */
  runs: Point[][];
  /** lowest/highest finite value inside the window (undefined: no sample in it) */
  lo: number | undefined;
  hi: number | undefined;
  /** the latest finite value inside the window, for the legend */
  last: number | undefined;
}

/** Samples further apart than this many typical intervals are a gap (the collector missed them). */
const GAP_FACTOR = 3;

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Sorts the points, keeps those in [from, to] plus one neighbour on each side (so a line enters
 * the plot from its edge; the clip path cuts the rest), and breaks the line at missing samples:
 * a non-finite value, or a silence much longer than the series' usual sampling interval.
 */
export function seriesData(series: ChartSeries, from: number, to: number): SeriesData {
  const sorted = series.points.filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const firstIn = sorted.findIndex((p) => p.t >= from);
  const start = firstIn === -1 ? sorted.length : Math.max(0, firstIn - 1);
  let end = sorted.findIndex((p) => p.t > to);
  end = end === -1 ? sorted.length : end + 1;
  const kept = sorted.slice(start, end);

  const intervals: number[] = [];
  for (let i = 1; i < kept.length; i++) {
    const dt = kept[i]!.t - kept[i - 1]!.t;
    if (dt > 0 && Number.isFinite(kept[i]!.v) && Number.isFinite(kept[i - 1]!.v)) intervals.push(dt);
  }
  const typical = median(intervals);

  const runs: Point[][] = [];
  let run: Point[] = [];
  let lo: number | undefined;
  let hi: number | undefined;
  let last: number | undefined;
  for (const p of kept) {
    if (!Number.isFinite(p.v)) {
      if (run.length) runs.push(run);
      run = [];
      continue;
    }
    const prev = run[run.length - 1];
    if (prev && typical !== undefined && p.t - prev.t > GAP_FACTOR * typical) {
      runs.push(run);
      run = [];
    }
    run.push({ t: p.t, v: p.v });
    if (p.t >= from && p.t <= to) {
      lo = lo === undefined ? p.v : Math.min(lo, p.v);
      hi = hi === undefined ? p.v : Math.max(hi, p.v);
      last = p.v;
    }
  }
  if (run.length) runs.push(run);
  return { name: series.name, runs, lo, hi, last };
}
