import type { Logger } from '@slack/bolt';
import type { Actor } from '../ops/actions/action.js';
import type { Authorizer } from './authorize.js';
import type { BotConfig } from './config.js';
import type { PendingConfirmations } from './confirmations.js';
import type { BotDeps, AuditOutcome } from './ports.js';
import type { Redactor } from './redactor.js';
import type { RenderedMessage } from './render/result-blocks.js';
import type { SlackOut } from './slack-out.js';

/** Reply to the person who typed the command (response_url): ephemeral, or visible to the channel. */
export type Reply = (msg: RenderedMessage, visibility?: 'ephemeral' | 'in_channel') => Promise<void>;

/** Everything the flows share; built once in app.ts. */
export interface BotRuntime {
  config: BotConfig;
  deps: BotDeps;
  authorizer: Authorizer;
  pending: PendingConfirmations;
  out: SlackOut;
  redactor: Redactor;
  logger: Logger;
  now: () => number;
  /** Background work (runs after ack) is tracked so shutdown and tests can wait for it. */
  track(work: Promise<unknown>): void;
}

export interface AuditInput {
  actor: Actor;
  action: string;
  cluster: string | undefined;
  args: readonly string[];
  result: AuditOutcome;
  startedAt: number;
  detail?: string;
}

/**
 * Write one audit line. An audit failure is logged loudly but does not turn a finished command
 * into an error for the user: the work has already happened and they must hear about it.
 */
export async function audit(rt: BotRuntime, a: AuditInput): Promise<void> {
  try {
    await rt.deps.audit.record({
      time: new Date(a.startedAt).toISOString(),
      actor: a.actor,
      action: a.action,
      cluster: a.cluster,
      args: a.args.map(rt.redactor.apply),
      result: a.result,
      durationMs: Math.max(0, rt.now() - a.startedAt),
      ...(a.detail !== undefined ? { detail: rt.redactor.apply(a.detail) } : {}),
    });
  } catch (error) {
    rt.logger.error(`audit log write failed: ${rt.redactor.apply(String(error))}`);
  }
}

export function slackActor(userId: string, userName: string | undefined, channel: string): Actor {
  return { via: 'slack', id: userId, ...(userName ? { name: userName } : {}), channel };
}
