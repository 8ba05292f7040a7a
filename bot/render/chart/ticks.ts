/**
 * Where axis ticks go. Values: round steps (1, 2, 2.5, 5 × 10^n) from zero up, so queue depth and
 * rates read at a glance. Time: whole UTC minutes/hours, spaced so HH:MM labels never touch.
 */

export interface ValueTicks {
  min: number;
  max: number;
  step: number;
  values: number[];
}

function niceStep(rough: number): number {
  const pow = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 2.5, 5]) if (m * pow >= rough) return m * pow;
  return 10 * pow;
}

/**
 * About `count` intervals covering [lo, hi]. The axis always includes 0 (a rate of 3 drawn from
 * 2.9 to 3.1 looks like a cliff), and an all-zero or empty panel gets 0..1.
 */
export function valueTicks(lo: number, hi: number, count: number): ValueTicks {
  let min = Math.min(0, lo);
  let max = Math.max(0, hi);
  if (!(max > min)) max = min + 1;
  const step = niceStep((max - min) / Math.max(1, count));
  // the 1e-9s absorb float error (0.30000000000000004 / 0.1) without adding a step past a round bound
  min = Math.floor(min / step + 1e-9) * step;
  max = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  // integer multiples of step: no 0.30000000000000004 from repeated addition
  for (let i = Math.round(min / step); i <= Math.round(max / step); i++) values.push(i * step);
  return { min, max, step, values };
}

const MINUTE = 60_000;
const TIME_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE);

/** Tick times inside [from, to] at the finest whole-UTC step leaving `minGapPx` between labels. */
export function timeTicks(from: number, to: number, widthPx: number, minGapPx: number): number[] {
  const span = to - from;
  const fit = Math.max(1, Math.floor(widthPx / minGapPx));
  const step = TIME_STEPS.find((s) => span / s <= fit) ?? Math.ceil(span / fit / (1440 * MINUTE)) * 1440 * MINUTE;
  const ticks: number[] = [];
  // epoch ms multiples of a whole-minute step are whole UTC minutes (UTC has no DST)
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}
