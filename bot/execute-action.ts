import { isMutating, type ActionDefinition, type ActionResult, type Actor, type ClusterHandle } from '../ops/actions/action.js';
import { toUserFacing } from './errors.js';
import { busyMessage } from './render/busy.js';
import { richBlocksFor } from './render/rich-blocks.js';
import { noticeMessage, progressMessage, resultMessage, type RenderedMessage, type RunLabel } from './render/result-blocks.js';
import { ProgressUpdater } from './progress-updater.js';
import type { LockLease } from './ports.js';
import { audit, type BotRuntime, type Reply } from './runtime.js';

export interface Execution {
  action: ActionDefinition;
  cluster: ClusterHandle;
  clusterName: string;
  argv: readonly string[];
  args: unknown;
  actor: Actor;
  channel: string;
  startedAt: number;
  reply: Reply;
  /** When a confirmation message exists, the live view replaces it instead of posting anew. */
  messageTs?: string;
  /** Extra audit detail (e.g. who approved). */
  detail?: string;
}

/**
 * Run an authorized, parsed action: take the cluster lock for mutating actions, post a live
 * message and update it from progress(), then put the result in place and announce it in the
 * results channel. Never throws: every outcome becomes a message and an audit line.
 */
export async function executeAction(rt: BotRuntime, x: Execution): Promise<void> {
  const label: RunLabel = { userId: x.actor.id, action: x.action.name, argv: x.argv, cluster: x.clusterName };
  const auditBase = { actor: x.actor, action: x.action.name, cluster: x.clusterName, args: x.argv, startedAt: x.startedAt };

  let lease: LockLease | undefined;
  if (isMutating(x.action, x.argv)) {
    const got = await rt.deps.lock.acquire(x.cluster, { actor: x.actor, action: x.action.name, args: x.argv, since: new Date(rt.now()) });
    if ('busy' in got) {
      await x.reply(busyMessage(x.clusterName, got.busy));
      await audit(rt, { ...auditBase, result: 'busy', detail: `held by ${got.busy.actor.id} (${got.busy.action})` });
      return;
    }
    lease = got.lease;
  }

  let ts = x.messageTs;
  const show = async (msg: RenderedMessage): Promise<void> => {
    if (ts) await rt.out.update(x.channel, ts, msg);
    else ts = await rt.out.post(x.channel, msg);
  };
  const progress = new ProgressUpdater((steps) => progressMessage(label, steps), show, (e) => rt.logger.warn(`progress update failed: ${rt.redactor.apply(String(e))}`));
  try {
    // The live message goes out before the action starts, so people see at once that it runs.
    try {
      await show(progressMessage(label, []));
    } catch (error) {
      // E.g. the bot is not in this channel: carry on, the result still reaches the user via response_url.
      rt.logger.warn(`cannot post in ${x.channel}: ${rt.redactor.apply(String(error))}`);
    }
    await rt.redactor.learnCluster(x.cluster);
    let result: ActionResult;
    try {
      result = await x.action.run({ cluster: x.cluster, actor: x.actor, progress: (step) => progress.push(step) }, x.args);
    } catch (error) {
      await progress.settle();
      const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `${x.action.name} on ${x.clusterName}`);
      const msg = noticeMessage(':x:', `\`${x.action.name}\` on ${x.clusterName} failed: ${facing.message}`);
      await deliver(rt, x, ts, msg);
      await announce(rt, x, msg);
      await audit(rt, { ...auditBase, result: facing.errorId ? 'error' : 'failed', detail: facing.errorId ? `error id ${facing.errorId}` : facing.message });
      return;
    }
    await progress.settle();
    const msg = resultMessage(label, result, rt.now() - x.startedAt, richBlocksFor(x.action.name, result));
    await deliver(rt, x, ts, msg);
    await announce(rt, x, msg);
    await audit(rt, { ...auditBase, result: result.ok ? 'ok' : 'failed', detail: x.detail ? `${result.headline}; ${x.detail}` : result.headline });
  } catch (error) {
    // Slack itself failed us (post/update/upload); the action's outcome is in the audit log.
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `delivering ${x.action.name} result`);
    await x.reply(noticeMessage(':x:', facing.message)).catch(() => undefined);
    await audit(rt, { ...auditBase, result: 'error', detail: facing.errorId ? `error id ${facing.errorId}` : facing.message });
  } finally {
    await lease?.release();
  }
}

/** Put the final message where the live view was; without one, answer through response_url. */
async function deliver(rt: BotRuntime, x: Execution, ts: string | undefined, msg: RenderedMessage): Promise<void> {
  if (ts) await rt.out.update(x.channel, ts, msg);
  else await x.reply(msg, 'in_channel');
}

/** The results channel hears about every mutating action (and read-only ones if configured). */
async function announce(rt: BotRuntime, x: Execution, msg: RenderedMessage): Promise<void> {
  if (x.channel === rt.config.resultsChannel) return;
  if (!isMutating(x.action, x.argv) && !rt.config.announceReadOnly) return;
  await rt.out.post(rt.config.resultsChannel, msg);
}
