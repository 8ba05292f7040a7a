import { parseCommandText, splitWords, unescapeSlackText } from './command-text.js';
import { toUserFacing } from './errors.js';
import { handleAlertWords } from './handle-alert-words.js';
import { nameableClusters, readableClusters } from './known-clusters.js';
import { helpMessage } from './render/help.js';
import { noticeMessage } from './render/result-blocks.js';
import { joinMd, md } from './render/slack-text.js';
import { notAllowed } from './render/not-allowed.js';
import { runChatRequest } from './run-request.js';
import { slackActor, type BotRuntime, type Reply } from './runtime.js';
import type { OpsRequest } from '../ops/index.js';

export interface SlashInput {
  userId: string;
  userName: string | undefined;
  channel: string;
  text: string;
  reply: Reply;
}

/**
 * `/rmq …` after the ack, as a request: help and the watcher's words (`ack`, `alerts`) here; a
 * cluster action goes to the request runner (runChatRequest). Never throws. A cluster this
 * person may not read is not a cluster word to them (known-clusters.ts).
 */
export async function handleSlash(rt: BotRuntime, input: SlashInput): Promise<void> {
  const startedAt = rt.now();
  const actor = slackActor(input.userId, input.userName, input.channel);
  const who = { user: input.userId, channel: input.channel };
  const words = splitWords(unescapeSlackText(input.text));
  const first = words[0]?.toLowerCase();
  let request: OpsRequest = { actor, origin: 'chat', action: first ?? 'help', argv: [], startedAt };

  try {
    if (!first || first === 'help') {
      const decision = await rt.runner.authorize({ ...request, action: 'help' }, false);
      if (!decision.allowed) return await input.reply(notAllowed(decision.reason));
      await rt.runner.note({ ...request, action: 'help' }, 'ok');
      return await input.reply(helpMessage(rt.config.command, rt.deps.ops.entries(), await readableClusters(rt, who), rt.watcher !== undefined));
    }
    if (first === 'ack' || first === 'alerts')
      return await handleAlertWords(rt, { actor, word: first, args: words.slice(1), channel: input.channel, startedAt, reply: input.reply });

    const entry = rt.deps.ops.entry(first);
    const parsed = parseCommandText(input.text, entry ? await nameableClusters(rt, who, entry, words.slice(1)) : [], rt.config.defaultCluster);
    if (!parsed) return;
    const dir = parsed.cluster ? rt.config.clusters[parsed.cluster] : undefined;
    request = { ...request, action: parsed.action, argv: parsed.argv, ...(parsed.cluster ? { cluster: parsed.cluster } : {}), ...(dir ? { dir } : {}) };
    if (!entry) {
      await rt.runner.note(request, 'rejected', 'unknown action');
      return await input.reply(noticeMessage(':grey_question:', md`Unknown action \`${parsed.action}\`. Try \`${rt.config.command} help\`.`));
    }
    if (!parsed.cluster) {
      // only the clusters this person may read are named; to anyone else this answer names none
      const readable = await readableClusters(rt, who);
      const names = readable.length
        ? md` with one of: ${joinMd(
            readable.map((c) => md`\`${c}\``),
            ', ',
          )}`
        : md``;
      await rt.runner.note(request, 'rejected', 'no cluster named and no default cluster');
      return await input.reply(noticeMessage(':warning:', md`Which cluster? Say \`${parsed.action} ${'<cluster>'} …\`${names}.`));
    }
    await runChatRequest(rt, { request, clusterName: parsed.cluster, channel: input.channel, reply: input.reply, context: `/rmq ${first}` });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `/rmq ${first ?? ''}`);
    await rt.runner.note(request, facing.errorId ? 'error' : 'rejected', facing.errorId ? `error id ${facing.errorId}` : facing.message);
    await input
      .reply(noticeMessage(facing.errorId ? ':x:' : ':warning:', md`${facing.message}`))
      .catch((e: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(e))}`));
  }
}
