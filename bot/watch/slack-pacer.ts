/**
 * Keeps the watcher's writes inside Slack's rate limits: chat.postMessage allows about one
 * message per second per channel, and a 429 says how long to wait (Retry-After). Writes to one
 * channel go out in order, at least `gapMs` apart; a queued update of a message is replaced by a
 * newer one for the same message (only the latest view matters); a rate-limited write waits as
 * told and is tried again. A storm of alerts is then late by seconds, never dropped by Slack.
 */
import { systemClock } from '../../lib/clock.js';
export class SlackPacer {
  readonly #queues = new Map<string, Array<QueuedWrite>>();
  readonly #last = new Map<string, number>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(
    private readonly gapMs = 1_100,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = systemClock,
    private readonly maxRetries = 3,
  ) {}

  /** Resolves with the write's result, or undefined when a newer write with the same key replaced it. */
  run<T>(channel: string, write: () => Promise<T>, replaceKey?: string): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const queue = this.#queues.get(channel) ?? [];
      this.#queues.set(channel, queue);
      const item: QueuedWrite = { key: replaceKey, write, resolve: resolve as (v: unknown) => void, reject };
      const older = replaceKey === undefined ? -1 : queue.findIndex((q) => q.key === replaceKey);
      if (older >= 0) {
        queue[older]!.resolve(undefined);
        queue[older] = item;
      } else queue.push(item);
      if (!this.#running.has(channel)) this.#running.set(channel, this.#drain(channel));
    });
  }

  /** Resolves when every queued write has gone out (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running.values()]);
  }

  async #drain(channel: string): Promise<void> {
    const queue = this.#queues.get(channel)!;
    // the worker is forgotten in the same tick as it finds the queue empty: a write queued right
    // after must start a new one, not join a worker that has already decided to stop
    await Promise.resolve();
    for (;;) {
      if (queue.length === 0) {
        this.#running.delete(channel);
        return;
      }
      const wait = (this.#last.get(channel) ?? -Infinity) + this.gapMs - this.now();
      if (wait > 0) await this.sleep(wait);
      const item = queue.shift()!;
      try {
        item.resolve(await this.#attempt(item.write));
      } catch (error) {
        item.reject(error);
      } finally {
        this.#last.set(channel, this.now());
      }
    }
  }

  async #attempt(write: () => Promise<unknown>): Promise<unknown> {
    for (let tries = 0; ; tries += 1) {
      try {
        return await write();
      } catch (error) {
        const retryAfter = rateLimitedFor(error);
        if (retryAfter === undefined || tries >= this.maxRetries) throw error;
        await this.sleep(retryAfter * 1000);
      }
    }
  }
}

interface QueuedWrite {
  key: string | undefined;
  write: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Seconds Slack asked us to wait (the WebClient's rate-limited error), else undefined. */
export function rateLimitedFor(error: unknown): number | undefined {
  const e = error as { code?: unknown; retryAfter?: unknown } | undefined;
  if (e?.code !== 'slack_webapi_rate_limited_error') return undefined;
  return typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? Math.min(e.retryAfter, 120) : 1;
}
