import { UserError } from '../lib/errors.js';
import { ClusterNotFoundError, isMutating, type PreparedAction } from '../ops/index.js';
import { parseCommandText, splitWords, unescapeSlackText, type ParsedCommand } from './command-text.js';
import { toUserFacing } from './errors.js';
import { executeAction } from './execute-action.js';
import { busyMessage } from './render/busy.js';
import { confirmMessage } from './render/confirm-blocks.js';
import { helpMessage } from './render/help.js';
import { escapeMrkdwn } from './render/limits.js';
import { noticeMessage } from './render/result-blocks.js';
import { auditPrepared, auditUnbound, slackActor, type BotRuntime, type Reply, type UnboundAudit } from './runtime.js';

export interface SlashInput {
  userId: string;
  userName: string | undefined;
  channel: string;
  text: string;
  reply: Reply;
}

/**
 * `/rmq …` after the ack: parse, authorize (before the cluster folder is touched or named), then
 * the pipeline's prepare; then either ask for confirmation (dangerous) or execute. Never throws.
 */
export async function handleSlash(rt: BotRuntime, input: SlashInput): Promise<void> {
  const startedAt = rt.now();
  const actor = slackActor(input.userId, input.userName, input.channel);
  const first = splitWords(unescapeSlackText(input.text))[0]?.toLowerCase();
  const clusterNames = Object.keys(rt.config.clusters);
  let parsed: ParsedCommand | undefined;
  let prepared: PreparedAction | undefined;
  let preparing = false;
  const unbound = (result: UnboundAudit['result'], detail?: string) =>
    auditUnbound(rt, {
      actor, action: parsed?.action ?? first ?? 'help', cluster: parsed?.cluster, args: parsed?.argv ?? [], result, startedAt,
      ...(parsed?.cluster ? { dir: rt.config.clusters[parsed.cluster] } : {}), ...(detail !== undefined ? { detail } : {}),
    });
  const mayRead = async (action: string) =>
    (await rt.authorizer.check({ user: input.userId, channel: input.channel, action, mutating: false, cluster: undefined }).catch(() => ({ allowed: false as const, reason: '' }))).allowed;

  try {
    if (!first || first === 'help') {
      const decision = await rt.authorizer.check({ user: input.userId, channel: input.channel, action: 'help', mutating: false, cluster: undefined });
      if (!decision.allowed) return await deny(input.reply, decision.reason, unbound);
      await input.reply(helpMessage(rt.config.command, rt.deps.ops.entries(), clusterNames));
      return await unbound('ok');
    }

    parsed = parseCommandText(input.text, clusterNames, rt.config.defaultCluster);
    if (!parsed) return;
    const entry = rt.deps.ops.entry(parsed.action);
    if (!entry) {
      await input.reply(noticeMessage(':grey_question:', `Unknown action \`${escapeMrkdwn(parsed.action)}\`. Try \`${rt.config.command} help\`.`));
      return await unbound('rejected', 'unknown action');
    }
    if (!parsed.cluster) {
      // the configured cluster names are shown only to people allowed to read help
      const names = (await mayRead('help')) ? ` with one of: ${clusterNames.map((c) => `\`${c}\``).join(', ')}` : '';
      throw new UserError(`Which cluster? Say \`${parsed.action} <cluster> …\`${names}.`);
    }

    const decision = await rt.authorizer
      .check({ user: input.userId, channel: input.channel, action: entry.name, mutating: isMutating(entry, parsed.argv), cluster: parsed.cluster })
      .catch((error: unknown) => {
        // Fail closed: a group lookup that failed means "not shown to be allowed".
        rt.logger.warn(`authorization lookup failed: ${rt.redactor.apply(String(error))}`);
        return { allowed: false as const, reason: 'your user groups could not be checked just now; try again shortly' };
      });
    if (!decision.allowed) return await deny(input.reply, decision.reason, unbound);

    preparing = true;
    prepared = await rt.deps.ops.prepare({ action: entry.name, argv: parsed.argv, actor, dir: rt.config.clusters[parsed.cluster] ?? '' });
    preparing = false;

    const holder = await rt.deps.ops.holder(prepared);
    if (holder) {
      await input.reply(busyMessage(parsed.cluster, holder, rt.now()));
      return await auditPrepared(rt, prepared, 'busy', `held by ${holder.actor.id} (${holder.action})`, startedAt);
    }

    if (prepared.dangerous) {
      const pending = rt.pending.add({ requester: actor, action: entry.name, cluster: parsed.cluster, argv: parsed.argv, prepared, channel: input.channel });
      const msg = confirmMessage(pending, prepared.summary, rt.config.confirmation.requireSecondPerson);
      // Posted in the channel (not ephemeral) so that a second person can see and approve it.
      pending.messageTs = await rt.out.post(input.channel, msg);
      return await auditPrepared(rt, prepared, 'pending', 'awaiting confirmation', startedAt);
    }

    await executeAction(rt, prepared, { clusterName: parsed.cluster, channel: input.channel, startedAt, reply: input.reply });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `/rmq ${first ?? ''}`);
    await input.reply(noticeMessage(facing.errorId ? ':x:' : ':warning:', escapeMrkdwn(facing.message))).catch((e: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(e))}`));
    const detail = facing.errorId ? `error id ${facing.errorId}` : facing.message;
    // prepare audits its own rejections once the cluster is loaded; what came before or after is ours
    if (prepared) await auditPrepared(rt, prepared, facing.errorId ? 'error' : 'rejected', detail, startedAt);
    else if (!preparing || !(error instanceof UserError) || error instanceof ClusterNotFoundError) await unbound(facing.errorId ? 'error' : 'rejected', detail);
  }
}

async function deny(reply: Reply, reason: string, unbound: (result: 'denied', detail: string) => Promise<void>): Promise<void> {
  await reply(noticeMessage(':no_entry:', `Not allowed: ${reason}. Ask an admin to add you to the bot's authorization rules.`));
  await unbound('denied', reason);
}
