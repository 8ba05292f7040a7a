import { ClusterBusyError, type ActionResult, type PreparedAction } from '../ops/index.js';
import { toUserFacing, type UserFacing } from './errors.js';
import { ProgressUpdater } from './progress-updater.js';
import { busyMessage } from './render/busy.js';
import { fileFor, richBlocksFor } from './render/rich-blocks.js';
import { noticeMessage, progressMessage, resultMessage, type RenderedMessage, type RunLabel } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
import { auditPrepared, type BotRuntime, type Reply } from './runtime.js';

export interface Delivery {
  /** The configured name the person used. */
  clusterName: string;
  channel: string;
  startedAt: number;
  reply: Reply;
  /** When a confirmation message exists, the live view replaces it instead of posting anew. */
  messageTs?: string;
  /** Post the live view and result in this thread (a run from an alert's button). */
  threadTs?: string;
  /** Extra audit detail (e.g. who approved). */
  detail?: string;
}

/**
 * Run an authorized, prepared action through the pipeline's execute (lock, audit, run), with a
 * live message updated from progress(), then put the result in place and announce it in the
 * results channel. Never throws: every outcome becomes a message.
 */
export async function executeAction(rt: BotRuntime, p: PreparedAction, d: Delivery): Promise<void> {
  const label: RunLabel = { userId: p.actor.id, action: p.action.name, argv: p.argv, cluster: d.clusterName };
  let ts = d.messageTs;
  const show = async (msg: RenderedMessage): Promise<void> => {
    if (ts) await rt.out.update(d.channel, ts, msg);
    else ts = await rt.out.post(d.channel, msg, d.threadTs);
  };
  const progress = new ProgressUpdater((steps) => progressMessage(label, steps), show, (e) => rt.logger.warn(`progress update failed: ${rt.redactor.apply(String(e))}`));
  if (rt.stopping.aborted) {
    // e.g. a confirmation pressed as the bot stops: not started
    await auditPrepared(rt, p, 'cancelled', 'the bot is stopping; not started', d.startedAt);
    const msg = noticeMessage(':warning:', md`\`${p.action.name}\` on ${d.clusterName} was not started: the bot is stopping. Run it again once the bot is back.`);
    await deliver(rt, p, d, ts, msg).catch((error: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(error))}`));
    return;
  }
  try {
    // The live message goes out before the action starts, so people see at once that it runs.
    try {
      await show(progressMessage(label, []));
    } catch (error) {
      // E.g. the bot is not in this channel: carry on, the result still reaches the user via response_url.
      rt.logger.warn(`cannot post in ${d.channel}: ${rt.redactor.apply(String(error))}`);
    }
    let result: ActionResult;
    // one error id per failure: the audit line and the message name the same one
    let facing: UserFacing | undefined;
    const face = (error: unknown) => (facing ??= toUserFacing(error, rt.logger, rt.redactor.apply, p.summary));
    try {
      result = await rt.deps.ops.execute(p, {
        progress: (step) => progress.push(step),
        signal: rt.stopping,
        startedAt: d.startedAt,
        ...(d.detail ? { detail: d.detail } : {}),
        warn: (m) => rt.logger.error(rt.redactor.apply(m)),
        describeError: (error) => {
          const f = face(error);
          return f.errorId ? `error id ${f.errorId}` : f.message;
        },
      });
    } catch (error) {
      await progress.settle();
      const msg =
        error instanceof ClusterBusyError
          ? busyMessage(d.clusterName, error.holder, rt.now())
          : noticeMessage(':x:', md`\`${p.action.name}\` on ${d.clusterName} failed: ${face(error).message}`);
      await deliver(rt, p, d, ts, msg);
      if (!(error instanceof ClusterBusyError)) await announce(rt, p, d, msg);
      return;
    }
    await progress.settle();
    const msg = resultMessage(label, result, rt.now() - d.startedAt, richBlocksFor(p.action.name, result));
    // a picture where the action has one (status: the last hour's rates); never a reason to fail the reply
    msg.file ??= await fileFor(p.action.name, result).catch((error: unknown) => void rt.logger.warn(`chart failed: ${rt.redactor.apply(String(error))}`));
    await deliver(rt, p, d, ts, msg);
    await announce(rt, p, d, msg);
  } catch (error) {
    // Slack itself failed us (post/update/upload); the action's outcome is in the audit log.
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `delivering ${p.action.name} result`);
    await auditPrepared(rt, p, 'error', facing.errorId ? `delivery failed: error id ${facing.errorId}` : facing.message, d.startedAt);
    await d.reply(noticeMessage(':x:', md`${facing.message}`)).catch(() => undefined);
  }
}

/** Put the final message where the live view was; without one, answer through response_url. */
async function deliver(rt: BotRuntime, p: PreparedAction, d: Delivery, ts: string | undefined, msg: RenderedMessage): Promise<void> {
  if (ts) await rt.out.update(d.channel, ts, msg);
  else await d.reply(msg, 'in_channel');
}

/** The results channel hears about every mutating action (and read-only ones if configured). */
async function announce(rt: BotRuntime, p: PreparedAction, d: Delivery, msg: RenderedMessage): Promise<void> {
  if (d.channel === rt.config.resultsChannel) return;
  if (!p.mutating && !rt.config.announceReadOnly) return;
  await rt.out.post(rt.config.resultsChannel, msg);
}
