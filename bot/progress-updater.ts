import type { ProgressStep } from '../ops/index.js';
import type { RenderedMessage } from './render/result-blocks.js';

/**
 * Turns ActionContext.progress calls into chat.update calls on one message. Updates are
 * serialized and coalesced: while one is in flight, later steps only change the state, and the
 * next update sends the newest view. That keeps us inside chat.update's rate limit however
 * chatty an action is, and a slow Slack never slows the action (progress() never blocks).
 */
export class ProgressUpdater {
  readonly #steps = new Map<string, ProgressStep>();
  #inFlight: Promise<void> | undefined;
  #dirty = false;

  constructor(
    private readonly render: (steps: readonly ProgressStep[]) => RenderedMessage,
    private readonly send: (msg: RenderedMessage) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(step: ProgressStep): void {
    this.#steps.set(step.id, step);
    this.#dirty = true;
    if (!this.#inFlight) this.#inFlight = this.drain();
  }

  get steps(): readonly ProgressStep[] {
    return [...this.#steps.values()];
  }

  /** Wait for the last update, so the final result is not overwritten by a late progress view. */
  async settle(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  private async drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        try {
          await this.send(this.render(this.steps));
        } catch (error) {
          // A lost progress view is cosmetic; the action carries on and the final message follows.
          this.onError(error);
        }
      }
    } finally {
      this.#inFlight = undefined;
    }
  }
}
