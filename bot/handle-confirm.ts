import { LiveRun } from './live-run.js';
import { busyMessage } from './render/busy.js';
import { decidedMessage } from './render/confirm-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { md, mention, type SlackText } from './render/slack-text.js';
import { slackActor, type BotRuntime, type Reply } from './runtime.js';

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
 * "Run it" / "Approve and run": who may press it is the pending store's rule (confirmations.ts);
 * then the runner resumes the request (a second person's own authorization, the busy check, the
 * run) and its outcome replaces the buttons.
 */
export async function handleConfirm(rt: BotRuntime, input: ButtonInput): Promise<void> {
  const startedAt = rt.now();
  const claim = rt.pending.claim(input.pendingId, input.userId);
  if (claim.kind === 'unknown') {
    return input.reply(
      noticeMessage(':grey_question:', md`This request is no longer pending: it was decided already, expired, or the bot restarted. Run the command again.`),
    );
  }
  const p = claim.pending;
  const ts = input.messageTs ?? p.messageTs;
  const decided = async (line: SlackText) => {
    if (ts)
      await rt.out
        .update(p.channel, ts, decidedMessage(p, line))
        .catch((e: unknown) => rt.logger.warn(`could not update the confirmation message: ${rt.redactor.apply(String(e))}`));
  };
  if (claim.kind === 'expired') {
    await rt.runner.note(p.prepared, 'expired', `pressed by ${input.userId} after expiry`, startedAt);
    await decided(md`:hourglass: Expired without confirmation; nothing was run.`);
    return input.reply(noticeMessage(':hourglass:', md`This confirmation has expired; nothing was run. Run the command again.`));
  }
  if (claim.kind === 'refused') {
    const own = claim.reason === 'own-command';
    await rt.runner.note(
      p.prepared,
      'denied',
      `confirm by ${input.userId}: ${own ? "a second person must approve the requester's command" : `only ${p.requester.id} can confirm their command`}`,
      startedAt,
    );
    const why = own
      ? md`a second person must approve this; you cannot approve your own command`
      : md`only ${mention(p.requester.id)} can confirm their command`;
    return input.reply(noticeMessage(':no_entry:', md`Not allowed: ${why}.`));
  }

  const live = new LiveRun(rt, {
    clusterName: p.cluster,
    channel: p.channel,
    startedAt,
    reply: input.reply,
    context: `confirm ${p.action}`,
    ...(ts ? { messageTs: ts } : {}),
  });
  // the approver is asked about in the channel where the request was made
  const by = slackActor(input.userId, input.userName, p.channel);
  const outcome = await rt.runner.resume(
    { request: p.request, prepared: p.prepared },
    { by, secondPerson: rt.config.confirmation.requireSecondPerson, at: startedAt },
    live.hooks,
  );
  if (outcome.kind === 'denied') {
    rt.pending.restore(p);
    return input.reply(noticeMessage(':no_entry:', md`Not allowed to approve: ${outcome.reason}.`));
  }
  if (outcome.kind === 'busy' && !live.started) {
    await decided(md`:lock: Not run: the cluster is busy.`);
    return input.reply(busyMessage(p.cluster, outcome.holder, rt.now()));
  }
  await live.finish(outcome);
}

/** "Cancel": the requester, or anyone who could approve, may drop it (the runner decides and audits). */
export async function handleCancel(rt: BotRuntime, input: ButtonInput): Promise<void> {
  const p = rt.pending.cancel(input.pendingId);
  if (!p) return input.reply(noticeMessage(':grey_question:', md`This request is no longer pending.`));
  const decision = await rt.runner.cancel({ request: p.request, prepared: p.prepared }, slackActor(input.userId, input.userName, p.channel));
  if (!decision.allowed) {
    rt.pending.restore(p);
    return input.reply(noticeMessage(':no_entry:', md`Not allowed to reject it: ${decision.reason}.`));
  }
  const ts = input.messageTs ?? p.messageTs;
  const who = input.userId === p.requester.id ? md`Cancelled` : md`Rejected by ${mention(input.userId)}`;
  try {
    if (ts) await rt.out.update(p.channel, ts, decidedMessage(p, md`:no_entry_sign: ${who}; nothing was run.`));
  } catch (error) {
    rt.logger.warn(`could not update the confirmation message: ${rt.redactor.apply(String(error))}`);
  }
}
