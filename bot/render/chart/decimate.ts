import type { Point } from './series-data.js';

/**
 * Thins a run to at most two points (its lowest and highest, in time order) per pixel column.
 * A week of 1-second samples would otherwise make a multi-megabyte SVG for the same picture;
 * keeping min and max per column preserves spikes and dips, which is what a reader looks for.
 */
export function decimate(run: Point[], from: number, to: number, columns: number): Point[] {
  if (run.length <= columns * 2) return run;
  const width = (to - from) / columns;
  const out: Point[] = [];
  let bucket = Number.NaN;
  let lo: Point | undefined;
  let hi: Point | undefined;
  const flush = (): void => {
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else if (lo.t <= hi.t) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (const p of run) {
    const b = Math.floor((p.t - from) / width);
    if (b !== bucket) {
      flush();
      bucket = b;
      lo = p;
      hi = p;
    } else {
      if (p.v < lo!.v) lo = p;
      if (p.v > hi!.v) hi = p;
    }
  }
  flush();
  return out;
}
