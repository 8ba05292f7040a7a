import { systemClock } from '../lib/clock.js';
import { DeadlineError } from './errors.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
    // the listener goes when the sleep ends: a long wait polling every few seconds added one per
    // poll to the same signal (Node's MaxListenersExceededWarning in a migrate drain)
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
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
  const now = options.now ?? systemClock;
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
