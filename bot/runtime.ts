import type { Logger } from '@slack/bolt';
import type { Actor, RequestRunner } from '../ops/index.js';
import type { Authorizer } from './authorize.js';
import type { BotConfig } from './config.js';
import type { PendingConfirmations } from './confirmations.js';
import type { BotDeps } from './ports.js';
import type { Redactor } from './redactor.js';
import type { RenderedMessage } from './render/result-blocks.js';
import type { SlackOut } from './slack-out.js';
import type { Watcher } from './watch/watcher.js';

/** Reply to the person who typed the command (response_url): ephemeral, or visible to the channel. */
export type Reply = (msg: RenderedMessage, visibility?: 'ephemeral' | 'in_channel') => Promise<void>;

/**
 * Everything the flows share; built once in app.ts.
 *
 * The order the bot promises: a decision's audit line is written before the person hears of it
 * (the runner audits, then the handler replies), so whatever they do after the answer lands
 * after it in the log, never before.
 */
export interface BotRuntime {
  config: BotConfig;
  deps: BotDeps;
  /** The one request path (ops/request): authorize, prepare, busy, confirm, run, audit. */
  runner: RequestRunner;
  authorizer: Authorizer;
  pending: PendingConfirmations;
  out: SlackOut;
  redactor: Redactor;
  logger: Logger;
  now: () => number;
  /**
   * Aborted when the bot stops (SIGTERM/SIGINT): passed to every action it runs, which stops at
   * its next safe step (the reason is a CancelledError saying so); no action starts after it.
   */
  stopping: AbortSignal;
  /** The watcher, when the config watches clusters. */
  watcher?: Watcher;
  /** Background work (runs after ack) is tracked so shutdown and tests can wait for it. */
  track(work: Promise<unknown>): void;
}

export function slackActor(userId: string, userName: string | undefined, channel: string): Actor {
  return { via: 'slack', id: userId, ...(userName ? { name: userName } : {}), channel };
}
