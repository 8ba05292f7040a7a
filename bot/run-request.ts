import type { Confirmer, OpsRequest, PreparedAction } from '../ops/index.js';
import { LiveRun } from './live-run.js';
import { confirmMessage } from './render/confirm-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
import type { BotRuntime, Reply } from './runtime.js';

/** Slack's confirmation is asynchronous: the runner stops at needs-confirmation, the buttons resume it. */
const BY_BUTTONS_LATER: Confirmer = { confirm: async () => 'deferred' };

export interface ChatRequest {
  request: OpsRequest;
  /** The configured cluster name the person used. */
  clusterName: string;
  channel: string;
  reply: Reply;
  /** Where the confirmation, live view and result go: an alert's thread. */
  threadTs?: string;
  /** How a failure is logged, e.g. "/rmq restart". */
  context: string;
}

/**
 * A cluster action from Slack (a slash command or an alert's button) through the one request
 * runner, then its outcome rendered; a request that needs confirmation is kept and its buttons
 * posted in the channel. Never throws.
 */
export async function runChatRequest(rt: BotRuntime, c: ChatRequest): Promise<void> {
  const live = new LiveRun(rt, {
    clusterName: c.clusterName,
    channel: c.channel,
    startedAt: c.request.startedAt,
    reply: c.reply,
    context: c.context,
    ...(c.threadTs ? { threadTs: c.threadTs } : {}),
  });
  try {
    const outcome = await rt.runner.run(c.request, BY_BUTTONS_LATER, live.hooks);
    if (outcome.kind === 'needs-confirmation') return await askForConfirmation(rt, c, outcome.prepared);
    await live.finish(outcome);
  } catch (error) {
    // Slack failed us posting the buttons: the request is on record as pending, say so
    const facing = live.face(error);
    await rt.runner.note(c.request, 'error', facing.errorId ? `error id ${facing.errorId}` : facing.message);
    await c.reply(noticeMessage(':x:', md`${facing.message}`)).catch((e: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(e))}`));
  }
}

/** Kept for its confirmation; posted in the channel (not ephemeral) so that a second person can see and approve it. */
async function askForConfirmation(rt: BotRuntime, c: ChatRequest, prepared: PreparedAction): Promise<void> {
  const { request } = c;
  const pending = rt.pending.add({
    request,
    requester: request.actor,
    action: request.action,
    cluster: c.clusterName,
    argv: request.argv,
    prepared,
    channel: c.channel,
  });
  pending.messageTs = await rt.out.post(c.channel, confirmMessage(pending, prepared.summary, rt.config.confirmation.requireSecondPerson), c.threadTs);
}
