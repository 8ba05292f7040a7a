import { UserError } from '../lib/errors.js';
import { parseCommandText, splitWords, unescapeSlackText, type ParsedCommand } from './command-text.js';
import { toUserFacing } from './errors.js';
import { handleAlertWords } from './handle-alert-words.js';
import { helpMessage } from './render/help.js';
import { escapeMrkdwn } from './render/limits.js';
import { noticeMessage } from './render/result-blocks.js';
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
 */
export async function handleSlash(rt: BotRuntime, input: SlashInput): Promise<void> {
  const startedAt = rt.now();
  const actor = slackActor(input.userId, input.userName, input.channel);
  const words = splitWords(unescapeSlackText(input.text));
  const first = words[0]?.toLowerCase();
  const clusterNames = Object.keys(rt.config.clusters);
  let parsed: ParsedCommand | undefined;
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
      if (!decision.allowed) return await denyRequest(input.reply, decision.reason, unbound);
      await input.reply(helpMessage(rt.config.command, rt.deps.ops.entries(), clusterNames, rt.watcher !== undefined));
      return await unbound('ok');
    }
    if (first === 'ack' || first === 'alerts') return await handleAlertWords(rt, { actor, word: first, args: words.slice(1), channel: input.channel, startedAt, reply: input.reply });

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
    await runRequest(rt, { actor, entry, argv: parsed.argv, cluster: parsed.cluster, channel: input.channel, startedAt, reply: input.reply, origin: `/rmq ${first}` });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `/rmq ${first ?? ''}`);
    await input.reply(noticeMessage(facing.errorId ? ':x:' : ':warning:', escapeMrkdwn(facing.message))).catch((e: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(e))}`));
    await unbound(facing.errorId ? 'error' : 'rejected', facing.errorId ? `error id ${facing.errorId}` : facing.message);
  }
}
