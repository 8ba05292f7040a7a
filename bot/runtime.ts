import type { Logger } from '@slack/bolt';
import type { Actor, AuditOutcome, AuditSubject, PreparedAction } from '../ops/index.js';
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

/**
 * The order the bot promises: a decision's audit line is written before the person hears of it
 * (every flow awaits auditPrepared/auditUnbound, then replies). So whatever they do after the
 * answer (press a button, type the next command) lands after it in the log, never before.
 *
 * An audit line about a prepared action (pending, busy, cancelled, expired, a refused approver)
 * in its cluster's log. A failed write is logged loudly but does not turn the user's answer into
 * an error: runs themselves are recorded by the pipeline, which refuses to run unrecorded.
 */
export async function auditPrepared(rt: BotRuntime, p: PreparedAction | AuditSubject, result: AuditOutcome, detail?: string, startedAt?: number): Promise<void> {
  await rt.deps.ops.record(p, result, detail === undefined ? undefined : rt.redactor.apply(detail), startedAt).catch((error: unknown) => rt.logger.error(`audit log write failed: ${rt.redactor.apply(String(error))}`));
}

export interface UnboundAudit {
  actor: Actor;
  action: string;
  /** The cluster's name when one was named; its folder when the line can go to its log. */
  cluster: string | undefined;
  dir?: string;
  args: readonly string[];
  result: AuditOutcome;
  startedAt: number;
  detail?: string;
}

/**
 * A line for something the pipeline never saw: a denial (written to the cluster's own log when
 * the cluster is known, without telling the person anything about it), help, or an unknown
 * action (the bot's own log).
 */
export async function auditUnbound(rt: BotRuntime, a: UnboundAudit): Promise<void> {
  const detail = a.detail === undefined ? undefined : rt.redactor.apply(a.detail);
  const args = a.args.map(rt.redactor.apply);
  try {
    if (a.result === 'denied' && a.dir && (await rt.deps.ops.recordDenial(a.dir, { actor: a.actor, action: a.action, argv: args, detail: detail ?? '', startedAt: a.startedAt }))) return;
    await rt.deps.audit.record({
      time: new Date(a.startedAt).toISOString(),
      actor: a.actor,
      action: a.action,
      cluster: a.cluster,
      args,
      result: a.result,
      durationMs: Math.max(0, rt.now() - a.startedAt),
      ...(detail !== undefined ? { detail } : {}),
    });
  } catch (error) {
    rt.logger.error(`audit log write failed: ${rt.redactor.apply(String(error))}`);
  }
}

export function slackActor(userId: string, userName: string | undefined, channel: string): Actor {
  return { via: 'slack', id: userId, ...(userName ? { name: userName } : {}), channel };
}
