import { DeadlineError } from './errors.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * Poll a real readiness signal until it says yes or the deadline passes (never a blind sleep).
 * `check` returns undefined while not ready, or the value to resolve with; `describe` says what
 * we were still waiting for, for the error.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs: number; sleep: Sleep; signal?: AbortSignal; describe: () => string; now?: () => number },
): Promise<T> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (now() + options.intervalMs > deadline) {
      throw new DeadlineError(`gave up after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.describe()}`);
    }
    await options.sleep(options.intervalMs, options.signal);
  }
}
