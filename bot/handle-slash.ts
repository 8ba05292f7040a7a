import { isMutating, type ActionDefinition, type ClusterHandle } from '../ops/actions/action.js';
import { parseCommandText, splitWords, unescapeSlackText, type ParsedCommand } from './command-text.js';
import { toUserFacing } from './errors.js';
import { executeAction } from './execute-action.js';
import { busyMessage } from './render/busy.js';
import { confirmMessage } from './render/confirm-blocks.js';
import { helpMessage } from './render/help.js';
import { noticeMessage } from './render/result-blocks.js';
import { audit, slackActor, type AuditInput, type BotRuntime, type Reply } from './runtime.js';

export interface SlashInput {
  userId: string;
  userName: string | undefined;
  channel: string;
  text: string;
  reply: Reply;
}

/**
 * `/rmq …` after the ack: help, parse, authorize, validate arguments against the cluster, check
 * the lock, then either ask for confirmation (dangerous) or run. Never throws.
 */
export async function handleSlash(rt: BotRuntime, input: SlashInput): Promise<void> {
  const startedAt = rt.now();
  const actor = slackActor(input.userId, input.userName, input.channel);
  const first = splitWords(unescapeSlackText(input.text))[0]?.toLowerCase();
  let parsed: ParsedCommand | undefined;
  let action: ActionDefinition | undefined;
  const base = () => ({ actor, action: parsed?.action ?? first ?? 'help', cluster: parsed?.cluster, args: parsed?.argv ?? [], startedAt });

  try {
    if (!first || first === 'help') {
      const decision = await rt.authorizer.check({ user: input.userId, channel: input.channel, action: 'help', mutating: false, cluster: undefined });
      if (!decision.allowed) return await deny(rt, input.reply, decision.reason, base());
      await input.reply(helpMessage(rt.config.command, rt.deps.actions.list(), Object.keys(rt.config.clusters)));
      return await audit(rt, { ...base(), result: 'ok' });
    }

    parsed = parseCommandText(input.text, Object.keys(rt.config.clusters), rt.config.defaultCluster);
    if (!parsed) return;
    action = rt.deps.actions.get(parsed.action);
    if (!action) {
      await input.reply(noticeMessage(':grey_question:', `Unknown action \`${parsed.action}\`. Try \`${rt.config.command} help\`.`));
      return await audit(rt, { ...base(), result: 'rejected', detail: 'unknown action' });
    }

    // Authorize before touching the cluster folder: a denied user learns nothing about it.
    const decision = await rt.authorizer
      .check({ user: input.userId, channel: input.channel, action: action.name, mutating: isMutating(action, parsed.argv), cluster: parsed.cluster })
      .catch((error: unknown) => {
        // Fail closed: a group lookup that failed means "not shown to be allowed".
        rt.logger.warn(`authorization lookup failed: ${rt.redactor.apply(String(error))}`);
        return { allowed: false as const, reason: 'your user groups could not be checked just now; try again shortly' };
      });
    if (!decision.allowed) return await deny(rt, input.reply, decision.reason, base());

    const dir = rt.config.clusters[parsed.cluster] ?? '';
    const cluster: ClusterHandle = await rt.deps.loadCluster(dir);
    const args = action.parse(parsed.argv, cluster.manifest);

    if (isMutating(action, parsed.argv)) {
      const holder = await rt.deps.lock.holder(cluster);
      if (holder) {
        await input.reply(busyMessage(parsed.cluster, holder, rt.now()));
        return await audit(rt, { ...base(), result: 'busy', detail: `held by ${holder.actor.id} (${holder.action})` });
      }
    }

    if (action.dangerous) {
      const pending = rt.pending.add({ requester: actor, action: action.name, cluster: parsed.cluster, argv: parsed.argv, args, channel: input.channel });
      const msg = confirmMessage(pending, action.summary, rt.config.confirmation.requireSecondPerson);
      // Posted in the channel (not ephemeral) so that a second person can see and approve it.
      pending.messageTs = await rt.out.post(input.channel, msg);
      return await audit(rt, { ...base(), result: 'pending', detail: 'awaiting confirmation' });
    }

    await executeAction(rt, { action, cluster, clusterName: parsed.cluster, argv: parsed.argv, args, actor, channel: input.channel, startedAt, reply: input.reply });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, `/rmq ${first ?? ''}`);
    await input.reply(noticeMessage(facing.errorId ? ':x:' : ':warning:', facing.message)).catch((e: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(e))}`));
    await audit(rt, { ...base(), result: facing.errorId ? 'error' : 'rejected', detail: facing.errorId ? `error id ${facing.errorId}` : facing.message });
  }
}

async function deny(rt: BotRuntime, reply: Reply, reason: string, a: Omit<AuditInput, 'result'>): Promise<void> {
  await reply(noticeMessage(':no_entry:', `Not allowed: ${reason}. Ask an admin to add you to the bot's authorization rules.`));
  await audit(rt, { ...a, result: 'denied', detail: reason });
}
