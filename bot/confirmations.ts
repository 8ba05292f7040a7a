import { randomBytes } from 'node:crypto';
import type { Actor, OpsRequest, PreparedAction } from '../ops/index.js';
import { systemClock } from '../lib/clock.js';

/**
 * A request the runner stopped at `needs-confirmation` (and, if configured, a second person),
 * kept until someone presses: the runner resumes it with the same prepared action.
 */
export interface PendingCommand {
  id: string;
  /** The request as it arrived (its origin, cluster folder, time). */
  request: OpsRequest;
  requester: Actor;
  action: string;
  cluster: string;
  argv: readonly string[];
  /** The prepared action (cluster loaded, arguments validated), run as it was shown to the approver. */
  prepared: PreparedAction;
  channel: string;
  /** ts of the message carrying the buttons, so the decision replaces them. */
  messageTs: string | undefined;
  createdAt: number;
  expiresAt: number;
}

export type Claim =
  | { kind: 'ok'; pending: PendingCommand }
  | { kind: 'unknown' }
  | { kind: 'expired'; pending: PendingCommand }
  /** own-command: a second person is required and the requester pressed; not-requester: only the requester may. */
  | { kind: 'refused'; reason: 'own-command' | 'not-requester'; pending: PendingCommand };

/**
 * In memory on purpose: a restart drops every pending confirmation, which is the safe direction
 * (nobody approves a command from before the restart by accident).
 */
export class PendingConfirmations {
  readonly #items = new Map<string, PendingCommand>();

  constructor(
    private readonly ttlMs: number,
    private readonly requireSecondPerson: boolean,
    private readonly now: () => number = systemClock,
  ) {}

  add(p: Omit<PendingCommand, 'id' | 'createdAt' | 'expiresAt' | 'messageTs'>): PendingCommand {
    this.sweep();
    const createdAt = this.now();
    const pending: PendingCommand = { ...p, id: randomBytes(9).toString('base64url'), createdAt, expiresAt: createdAt + this.ttlMs, messageTs: undefined };
    this.#items.set(pending.id, pending);
    return pending;
  }

  /**
   * Take a pending command for the person who pressed "Run". Who may press it: the requester,
   * or, when a second person is required, anyone else (their authorization is checked by the
   * caller) but never the requester.
   */
  claim(id: string, userId: string): Claim {
    const pending = this.#items.get(id);
    if (!pending) return { kind: 'unknown' };
    if (this.now() >= pending.expiresAt) {
      this.#items.delete(id);
      return { kind: 'expired', pending };
    }
    if (this.requireSecondPerson && userId === pending.requester.id) {
      return { kind: 'refused', reason: 'own-command', pending };
    }
    if (!this.requireSecondPerson && userId !== pending.requester.id) {
      return { kind: 'refused', reason: 'not-requester', pending };
    }
    this.#items.delete(id);
    return { kind: 'ok', pending };
  }

  /** Cancel: the requester or any approver-candidate may drop it. */
  cancel(id: string): PendingCommand | undefined {
    const pending = this.#items.get(id);
    this.#items.delete(id);
    return pending;
  }

  /** Put back a claimed command whose approver turned out not to be authorized. */
  restore(pending: PendingCommand): void {
    this.#items.set(pending.id, pending);
  }

  get size(): number {
    return this.#items.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, p] of this.#items) if (now >= p.expiresAt) this.#items.delete(id);
  }
}
