import { parseCommandText, splitWords, unescapeSlackText, type ParsedCommand } from './command-text.js';
import { toUserFacing } from './errors.js';
import { handleAlertWords } from './handle-alert-words.js';
import { nameableClusters, readableClusters } from './known-clusters.js';
import { helpMessage } from './render/help.js';
import { noticeMessage } from './render/result-blocks.js';
import { joinMd, md } from './render/slack-text.js';
import { denyRequest, runRequest } from './run-request.js';
import { auditUnbound, slackActor, type BotRuntime, type Reply, type UnboundAudit } from './runtime.js';

export interface SlashInput {
  userId: string;
  userName: string | undefined;
  channel: string;
  text: string;
  reply: Reply;
}

/**
 * `/rmq …` after the ack: help and the watcher's words (`ack`, `alerts`) here; a cluster action
 * is parsed, then authorized, prepared and run or confirmed by runRequest. Never throws.
 * A cluster this person may not read is not a cluster word to them (known-clusters.ts).
 */
export async function handleSlash(rt: BotRuntime, input: SlashInput): Promise<void> {
  const startedAt = rt.now();
  const actor = slackActor(input.userId, input.userName, input.channel);
  const who = { user: input.userId, channel: input.channel };
  const words = splitWords(unescapeSlackText(input.text));
  const first = words[0]?.toLowerCase();
  let parsed: ParsedCommand | undefined;
  const unbound = (result: UnboundAudit['result'], detail?: string) =>
    auditUnbound(rt, {
      actor, action: parsed?.action ?? first ?? 'help', cluster: parsed?.cluster, args: parsed?.argv ?? [], result, startedAt,
      ...(parsed?.cluster ? { dir: rt.config.clusters[parsed.cluster] } : {}), ...(detail !== undefined ? { detail } : {}),
    });

  try {
    if (!first || first === 'help') {
      const decision = await rt.authorizer.check({ user: input.userId, channel: input.channel, action: 'help', mutating: false, cluster: undefined });
      if (!decision.allowed) return await denyRequest(input.reply, decision.reason, unbound);
      await unbound('ok');
      return await input.reply(helpMessage(rt.config.command, rt.deps.ops.entries(), await readableClusters(rt, who), rt.watcher !== undefined));
    }
    if (first === 'ack' || first === 'alerts') return await handleAlertWords(rt, { actor, word: first, args: words.slice(1), channel: input.channel, startedAt, reply: input.reply });

    const entry = rt.deps.ops.entry(first);
    parsed = parseCommandText(input.text, entry ? await nameableClusters(rt, who, entry, words.slice(1)) : [], rt.config.defaultCluster);
    if (!parsed) return;
    if (!entry) {
      await unbound('rejected', 'unknown action');
      return await input.reply(noticeMessage(':grey_question:', md`Unknown action \`${parsed.action}\`. Try \`${rt.config.command} help\`.`));
    }
    if (!parsed.cluster) {
      // only the clusters this person may read are named; to anyone else this answer names none
      const readable = await readableClusters(rt, who);
      const names = readable.length ? md` with one of: ${joinMd(readable.map((c) => md`\`${c}\``), ', ')}` : md``;
      await unbound('rejected', 'no cluster named and no default cluster');
      return await input.reply(noticeMessage(':warning:', md`Which cluster? Say \`${parsed.action} ${'<cluster>'} …\`${names}.`));
    }
    await runRequest(rt, { actor, entry, argv: parsed.argv, cluster: parsed.cluster, channel: input.channel, startedAt, reply: input.reply, origin: `/rmq ${first}` });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `/rmq ${first ?? ''}`);
    await unbound(facing.errorId ? 'error' : 'rejected', facing.errorId ? `error id ${facing.errorId}` : facing.message);
    await input.reply(noticeMessage(facing.errorId ? ':x:' : ':warning:', md`${facing.message}`)).catch((e: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(e))}`));
  }
}
