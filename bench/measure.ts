import { execa } from 'execa';

export interface Timing {
  label: string;
  runs: number;
  medianMs: number;
  p90Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs a whole process `runs` times (after one warm-up) and keeps wall-clock times. */
export async function timeProcess(
  label: string,
  file: string,
  args: string[],
  options: { cwd: string; runs: number; env?: NodeJS.ProcessEnv },
): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i <= options.runs; i++) {
    const started = performance.now();
    await execa(file, args, { cwd: options.cwd, env: options.env, timeout: 120_000 });
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, runs: options.runs, medianMs: percentile(times, 50), p90Ms: percentile(times, 90) };
}

/** Runs an in-process call `runs` times (after one warm-up) and keeps wall-clock times. */
export async function timeCall(label: string, runs: number, call: () => Promise<unknown>): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    await call();
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, runs, medianMs: percentile(times, 50), p90Ms: percentile(times, 90) };
}

export function formatRatio(subject: Timing, baseline: Timing): string {
  return `${subject.label.padEnd(44)} median ${subject.medianMs.toFixed(1).padStart(8)} ms  p90 ${subject.p90Ms.toFixed(1).padStart(8)} ms  = ${(subject.medianMs / baseline.medianMs).toFixed(2)}x ${baseline.label}`;
}
