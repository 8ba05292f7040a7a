import type { Actor } from '../ops/index.js';
import { alertListMessage } from './render/alert-blocks.js';
import { escapeMrkdwn } from './render/limits.js';
import { noticeMessage } from './render/result-blocks.js';
import { denyRequest } from './run-request.js';
import { auditUnbound, type BotRuntime, type Reply, type UnboundAudit } from './runtime.js';

export interface AlertWordsInput {
  actor: Actor;
  word: 'ack' | 'alerts';
  args: readonly string[];
  channel: string;
  startedAt: number;
  reply: Reply;
}

const ALERT_ID = /^[a-z0-9][a-z0-9_-]*-[0-9]{1,9}$/;

/**
 * `/rmq alerts` (the open alerts; the readOnly rule) and `/rmq ack <alert>` (silence one until it
 * recovers; the mutating rule, or authorization.actions.ack). The Ack button comes here too.
 * Both are the bot's own: they touch no cluster, so they go to the bot's audit log.
 */
export async function handleAlertWords(rt: BotRuntime, input: AlertWordsInput): Promise<void> {
  const id = input.args[0];
  const incident = input.word === 'ack' && id ? rt.watcher?.find(id) : undefined;
  const cluster = incident?.cluster;
  const audit = (result: UnboundAudit['result'], detail?: string) =>
    auditUnbound(rt, { actor: input.actor, action: input.word, cluster, args: input.args, result, startedAt: input.startedAt, ...(cluster ? { dir: rt.config.clusters[cluster] } : {}), ...(detail ? { detail } : {}) });
  const decision = await rt.authorizer
    .check({ user: input.actor.id, channel: input.channel, action: input.word, mutating: input.word === 'ack', cluster })
    .catch(() => ({ allowed: false as const, reason: 'your user groups could not be checked just now; try again shortly' }));
  if (!decision.allowed) return denyRequest(input.reply, decision.reason, audit);

  if (!rt.watcher) {
    await input.reply(noticeMessage(':grey_question:', `No cluster is watched: add a \`watch:\` section to the bot's configuration (README "Watcher").`));
    return audit('rejected', 'no watcher configured');
  }
  if (input.word === 'alerts') {
    const open = rt.watcher.open();
    await input.reply(alertListMessage(open.incidents, open.unreachable));
    return audit('ok', `${open.incidents.length} open`);
  }
  if (!id || !ALERT_ID.test(id) || input.args.length > 1) {
    await input.reply(noticeMessage(':warning:', `Say \`${rt.config.command} ack <alert>\` with the alert's id as its message shows it (e.g. \`prod-3\`); \`${rt.config.command} alerts\` lists them.`));
    return audit('rejected', 'bad alert id');
  }
  const acked = await rt.watcher.ack(id, input.actor.id);
  if (!acked) {
    const known = rt.watcher.find(id);
    await input.reply(noticeMessage(':grey_question:', known?.resolvedAt !== undefined ? `Alert \`${escapeMrkdwn(id)}\` has recovered already: nothing to silence.` : `No open alert \`${escapeMrkdwn(id)}\`. \`${rt.config.command} alerts\` lists the open ones.`));
    return audit('rejected', 'no such open alert');
  }
  await input.reply(noticeMessage(':shushing_face:', `Alert \`${escapeMrkdwn(id)}\` on ${escapeMrkdwn(acked.cluster)} is silenced until it recovers.`));
  return audit('ok', `acknowledged ${id}`);
}
