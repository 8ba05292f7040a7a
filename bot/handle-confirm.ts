import { toUserFacing } from './errors.js';
import { executeAction } from './execute-action.js';
import { busyMessage } from './render/busy.js';
import { decidedMessage } from './render/confirm-blocks.js';
import { escapeMrkdwn } from './render/limits.js';
import { noticeMessage } from './render/result-blocks.js';
import { auditPrepared, type BotRuntime, type Reply } from './runtime.js';

export interface ButtonInput {
  userId: string;
  userName: string | undefined;
  channel: string;
  /** The message that carries the buttons. */
  messageTs: string | undefined;
  pendingId: string;
  reply: Reply;
}

/**
 * "Run it" / "Approve and run". Checks expiry, who pressed it (the requester, or with a second
 * person required: someone else who is also authorized), then executes the prepared action in
 * place of the buttons.
 */
export async function handleConfirm(rt: BotRuntime, input: ButtonInput): Promise<void> {
  const startedAt = rt.now();
  const claim = rt.pending.claim(input.pendingId, input.userId);
  if (claim.kind === 'unknown') {
    await input.reply(noticeMessage(':grey_question:', 'This request is no longer pending: it was decided already, expired, or the bot restarted. Run the command again.'));
    return;
  }
  const p = claim.pending;
  const ts = input.messageTs ?? p.messageTs;
  try {
    if (claim.kind === 'expired') {
      if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, ':hourglass: Expired without confirmation; nothing was run.'));
      await input.reply(noticeMessage(':hourglass:', 'This confirmation has expired; nothing was run. Run the command again.'));
      return await auditPrepared(rt, p.prepared, 'expired', `pressed by ${input.userId} after expiry`, startedAt);
    }
    if (claim.kind === 'refused') {
      await input.reply(noticeMessage(':no_entry:', `Not allowed: ${claim.reason}.`));
      return await auditPrepared(rt, p.prepared, 'denied', `confirm by ${input.userId}: ${claim.reason}`, startedAt);
    }

    const secondPerson = rt.config.confirmation.requireSecondPerson;
    if (secondPerson) {
      // The approver needs the same right as the requester, in the channel where it was asked.
      const decision = await rt.authorizer
        .check({ user: input.userId, channel: p.channel, action: p.action, mutating: p.prepared.mutating, cluster: p.cluster })
        .catch(() => ({ allowed: false as const, reason: 'your user groups could not be checked just now' }));
      if (!decision.allowed) {
        rt.pending.restore(p);
        await input.reply(noticeMessage(':no_entry:', `Not allowed to approve: ${decision.reason}.`));
        return await auditPrepared(rt, p.prepared, 'denied', `approval by ${input.userId}: ${decision.reason}`, startedAt);
      }
    }

    const holder = await rt.deps.ops.holder(p.prepared);
    if (holder) {
      if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, ':lock: Not run: the cluster is busy.'));
      await input.reply(busyMessage(p.cluster, holder, rt.now()));
      return await auditPrepared(rt, p.prepared, 'busy', `held by ${holder.actor.id} (${holder.action})`, startedAt);
    }
    await executeAction(rt, p.prepared, {
      clusterName: p.cluster,
      channel: p.channel,
      startedAt,
      reply: input.reply,
      ...(ts ? { messageTs: ts } : {}),
      detail: secondPerson ? `approved by ${input.userId}` : `confirmed by ${input.userId}`,
    });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `confirm ${p.action}`);
    await input.reply(noticeMessage(':x:', escapeMrkdwn(facing.message))).catch(() => undefined);
    await auditPrepared(rt, p.prepared, 'error', facing.errorId ? `error id ${facing.errorId}` : facing.message, startedAt);
  }
}

/** "Cancel": the requester, or anyone who could approve, may drop it. */
export async function handleCancel(rt: BotRuntime, input: ButtonInput): Promise<void> {
  const p = rt.pending.cancel(input.pendingId);
  if (!p) return input.reply(noticeMessage(':grey_question:', 'This request is no longer pending.'));
  if (input.userId !== p.requester.id) {
    const decision = await rt.authorizer
      .check({ user: input.userId, channel: p.channel, action: p.action, mutating: p.prepared.mutating, cluster: p.cluster })
      .catch(() => ({ allowed: false as const, reason: 'groups could not be checked' }));
    if (!decision.allowed) {
      rt.pending.restore(p);
      return input.reply(noticeMessage(':no_entry:', `Not allowed to reject it: ${decision.reason}.`));
    }
  }
  const ts = input.messageTs ?? p.messageTs;
  const who = input.userId === p.requester.id ? 'Cancelled' : `Rejected by <@${input.userId}>`;
  try {
    if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, `:no_entry_sign: ${who}; nothing was run.`));
  } catch (error) {
    rt.logger.warn(`could not update the confirmation message: ${rt.redactor.apply(String(error))}`);
  }
  await auditPrepared(rt, p.prepared, 'cancelled', `by ${input.userId}`);
}
