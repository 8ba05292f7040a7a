import { isMutating } from '../ops/actions/action.js';
import { toUserFacing } from './errors.js';
import { executeAction } from './execute-action.js';
import { busyMessage } from './render/busy.js';
import { decidedMessage } from './render/confirm-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { audit, type BotRuntime, type Reply } from './runtime.js';

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
 * person required: someone else who is also authorized), then runs in place of the buttons.
 */
export async function handleConfirm(rt: BotRuntime, input: ButtonInput): Promise<void> {
  const startedAt = rt.now();
  const claim = rt.pending.claim(input.pendingId, input.userId);
  if (claim.kind === 'unknown') {
    await input.reply(noticeMessage(':grey_question:', 'This request is no longer pending: it was decided already, expired, or the bot restarted. Run the command again.'));
    return;
  }
  const p = claim.pending;
  const base = { actor: p.requester, action: p.action, cluster: p.cluster, args: p.argv, startedAt };
  const ts = input.messageTs ?? p.messageTs;
  try {
    if (claim.kind === 'expired') {
      if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, ':hourglass: Expired without confirmation; nothing was run.'));
      await input.reply(noticeMessage(':hourglass:', 'This confirmation has expired; nothing was run. Run the command again.'));
      return await audit(rt, { ...base, result: 'expired', detail: `pressed by ${input.userId} after expiry` });
    }
    if (claim.kind === 'refused') {
      await input.reply(noticeMessage(':no_entry:', `Not allowed: ${claim.reason}.`));
      return await audit(rt, { ...base, result: 'denied', detail: `confirm by ${input.userId}: ${claim.reason}` });
    }

    const action = rt.deps.actions.get(p.action);
    if (!action) throw new Error(`action ${p.action} vanished from the table`);
    const secondPerson = rt.config.confirmation.requireSecondPerson;
    if (secondPerson) {
      // The approver needs the same right as the requester, in the channel where it was asked.
      const decision = await rt.authorizer.check({ user: input.userId, channel: p.channel, action: action.name, mutating: isMutating(action, p.argv), cluster: p.cluster }).catch(() => ({ allowed: false as const, reason: 'your user groups could not be checked just now' }));
      if (!decision.allowed) {
        rt.pending.restore(p);
        await input.reply(noticeMessage(':no_entry:', `Not allowed to approve: ${decision.reason}.`));
        return await audit(rt, { ...base, result: 'denied', detail: `approval by ${input.userId}: ${decision.reason}` });
      }
    }

    const cluster = await rt.deps.loadCluster(rt.config.clusters[p.cluster] ?? '');
    if (isMutating(action, p.argv)) {
      const holder = await rt.deps.lock.holder(cluster);
      if (holder) {
        if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, ':lock: Not run: the cluster is busy.'));
        await input.reply(busyMessage(p.cluster, holder, rt.now()));
        return await audit(rt, { ...base, result: 'busy', detail: `held by ${holder.actor.id} (${holder.action})` });
      }
    }
    await executeAction(rt, {
      action,
      cluster,
      clusterName: p.cluster,
      argv: p.argv,
      args: p.args,
      actor: p.requester,
      channel: p.channel,
      startedAt,
      reply: input.reply,
      ...(ts ? { messageTs: ts } : {}),
      detail: secondPerson ? `approved by ${input.userId}` : `confirmed by ${input.userId}`,
    });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `confirm ${p.action}`);
    await input.reply(noticeMessage(':x:', facing.message)).catch(() => undefined);
    await audit(rt, { ...base, result: 'error', detail: facing.errorId ? `error id ${facing.errorId}` : facing.message });
  }
}

/** "Cancel": the requester, or anyone who could approve, may drop it. */
export async function handleCancel(rt: BotRuntime, input: ButtonInput): Promise<void> {
  const p = rt.pending.cancel(input.pendingId);
  if (!p) return input.reply(noticeMessage(':grey_question:', 'This request is no longer pending.'));
  if (input.userId !== p.requester.id) {
    const action = rt.deps.actions.get(p.action);
    const decision = action
      ? await rt.authorizer.check({ user: input.userId, channel: p.channel, action: action.name, mutating: isMutating(action, p.argv), cluster: p.cluster }).catch(() => ({ allowed: false as const, reason: 'groups could not be checked' }))
      : { allowed: false as const, reason: 'unknown action' };
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
  await audit(rt, { actor: p.requester, action: p.action, cluster: p.cluster, args: p.argv, result: 'cancelled', startedAt: rt.now(), detail: `by ${input.userId}` });
}

