import { toUserFacing } from './errors.js';
import { executeAction } from './execute-action.js';
import { busyMessage } from './render/busy.js';
import { decidedMessage } from './render/confirm-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { md, mention } from './render/slack-text.js';
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
    await input.reply(noticeMessage(':grey_question:', md`This request is no longer pending: it was decided already, expired, or the bot restarted. Run the command again.`));
    return;
  }
  const p = claim.pending;
  const ts = input.messageTs ?? p.messageTs;
  try {
    if (claim.kind === 'expired') {
      await auditPrepared(rt, p.prepared, 'expired', `pressed by ${input.userId} after expiry`, startedAt);
      if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, md`:hourglass: Expired without confirmation; nothing was run.`));
      return await input.reply(noticeMessage(':hourglass:', md`This confirmation has expired; nothing was run. Run the command again.`));
    }
    if (claim.kind === 'refused') {
      const own = claim.reason === 'own-command';
      await auditPrepared(rt, p.prepared, 'denied', `confirm by ${input.userId}: ${own ? 'a second person must approve the requester\'s command' : `only ${p.requester.id} can confirm their command`}`, startedAt);
      const why = own ? md`a second person must approve this; you cannot approve your own command` : md`only ${mention(p.requester.id)} can confirm their command`;
      return await input.reply(noticeMessage(':no_entry:', md`Not allowed: ${why}.`));
    }

    const secondPerson = rt.config.confirmation.requireSecondPerson;
    if (secondPerson) {
      // The approver needs the same right as the requester, in the channel where it was asked.
      const decision = await rt.authorizer
        .check({ user: input.userId, channel: p.channel, action: p.action, mutating: p.prepared.mutating, cluster: p.cluster })
        .catch(() => ({ allowed: false as const, reason: 'your user groups could not be checked just now' }));
      if (!decision.allowed) {
        rt.pending.restore(p);
        await auditPrepared(rt, p.prepared, 'denied', `approval by ${input.userId}: ${decision.reason}`, startedAt);
        return await input.reply(noticeMessage(':no_entry:', md`Not allowed to approve: ${decision.reason}.`));
      }
    }

    const holder = await rt.deps.ops.holder(p.prepared);
    if (holder) {
      await auditPrepared(rt, p.prepared, 'busy', `held by ${holder.actor.id} (${holder.action})`, startedAt);
      if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, md`:lock: Not run: the cluster is busy.`));
      return await input.reply(busyMessage(p.cluster, holder, rt.now()));
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
    await auditPrepared(rt, p.prepared, 'error', facing.errorId ? `error id ${facing.errorId}` : facing.message, startedAt);
    await input.reply(noticeMessage(':x:', md`${facing.message}`)).catch(() => undefined);
  }
}

/** "Cancel": the requester, or anyone who could approve, may drop it. */
export async function handleCancel(rt: BotRuntime, input: ButtonInput): Promise<void> {
  const p = rt.pending.cancel(input.pendingId);
  if (!p) return input.reply(noticeMessage(':grey_question:', md`This request is no longer pending.`));
  if (input.userId !== p.requester.id) {
    const decision = await rt.authorizer
      .check({ user: input.userId, channel: p.channel, action: p.action, mutating: p.prepared.mutating, cluster: p.cluster })
      .catch(() => ({ allowed: false as const, reason: 'groups could not be checked' }));
    if (!decision.allowed) {
      rt.pending.restore(p);
      return input.reply(noticeMessage(':no_entry:', md`Not allowed to reject it: ${decision.reason}.`));
    }
  }
  const ts = input.messageTs ?? p.messageTs;
  const who = input.userId === p.requester.id ? md`Cancelled` : md`Rejected by ${mention(input.userId)}`;
  await auditPrepared(rt, p.prepared, 'cancelled', `by ${input.userId}`);
  try {
    if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, md`:no_entry_sign: ${who}; nothing was run.`));
  } catch (error) {
    rt.logger.warn(`could not update the confirmation message: ${rt.redactor.apply(String(error))}`);
  }
}
