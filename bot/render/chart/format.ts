/**
 * Numbers and times as the chart prints them: short enough for an axis (12k, 1.2M) and in UTC, the
 * one zone every reader of a shared Slack channel can convert from.
 */

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [1, ''],
  [1e3, 'k'],
  [1e6, 'M'],
  [1e9, 'G'],
  [1e12, 'T'],
];

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function unitIndex(abs: number): number {
  let i = 0;
  while (i + 1 < UNITS.length && abs >= UNITS[i + 1]![0]) i++;
  return i;
}

/** About three significant digits: 0.25, 812, 12.3k, 1.2M. For legends and single values. */
export function formatCompact(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const show = (i: number): string => {
    const x = abs / UNITS[i]![0];
    return x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2);
  };
  let i = unitIndex(abs);
  let text = show(i);
  // 999.96 rounds to "1000": say 1k instead
  if (Number(text) >= 1000 && i + 1 < UNITS.length) text = show(++i);
  return `${v < 0 ? '-' : ''}${trimZeros(text)}${UNITS[i]![1]}`;
}

/** An axis tick: as many decimals as the tick step needs and no more (0, 2.5k, 5k, 7.5k). */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const [div, suffix] = UNITS[unitIndex(Math.abs(v))]!;
  const scaledStep = step / div;
  let decimals = 0;
  while (decimals < 3 && Math.abs(Math.round(scaledStep * 10 ** decimals) - scaledStep * 10 ** decimals) > 1e-6) decimals++;
  return `${trimZeros((v / div).toFixed(decimals))}${suffix}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** HH:MM in UTC. */
export function formatClockUtc(t: number): string {
  const d = new Date(t);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** "2024-05-01 13:05–14:05 UTC" (the second date only when the window crosses midnight). */
export function formatWindowUtc(from: number, to: number): string {
  const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
  const end = day(from) === day(to) ? formatClockUtc(to) : `${day(to)} ${formatClockUtc(to)}`;
  return `${day(from)} ${formatClockUtc(from)}–${end} UTC`;
}
