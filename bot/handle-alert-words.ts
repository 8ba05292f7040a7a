import type { Actor } from '../ops/index.js';
import { knowsCluster, readableClusters } from './known-clusters.js';
import { alertListMessage } from './render/alert-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
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
 * Both are the bot's own: they touch no cluster, so they go to the bot's audit log. An alert on
 * a cluster this person may not know of is, to them, no alert at all (its id names the cluster).
 */
export async function handleAlertWords(rt: BotRuntime, input: AlertWordsInput): Promise<void> {
  const who = { user: input.actor.id, channel: input.channel };
  const id = input.args[0];
  const found = input.word === 'ack' && id ? rt.watcher?.find(id) : undefined;
  const incident = found && (await knowsCluster(rt, who, found.cluster, 'ack', true)) ? found : undefined;
  const cluster = incident?.cluster;
  const audit = (result: UnboundAudit['result'], detail?: string) =>
    auditUnbound(rt, { actor: input.actor, action: input.word, cluster, args: input.args, result, startedAt: input.startedAt, ...(cluster ? { dir: rt.config.clusters[cluster] } : {}), ...(detail ? { detail } : {}) });
  const decision = await rt.authorizer
    .check({ user: input.actor.id, channel: input.channel, action: input.word, mutating: input.word === 'ack', cluster })
    .catch(() => ({ allowed: false as const, reason: 'your user groups could not be checked just now; try again shortly' }));
  if (!decision.allowed) return denyRequest(input.reply, decision.reason, audit);

  if (!rt.watcher) {
    await audit('rejected', 'no watcher configured');
    return input.reply(noticeMessage(':grey_question:', md`No cluster is watched: add a \`watch:\` section to the bot's configuration (README "Watcher").`));
  }
  if (input.word === 'alerts') {
    const readable = new Set(await readableClusters(rt, who));
    const open = rt.watcher.open();
    const incidents = open.incidents.filter((i) => readable.has(i.cluster));
    await audit('ok', `${incidents.length} open`);
    return input.reply(alertListMessage(incidents, open.unreachable.filter((u) => readable.has(u.cluster))));
  }
  if (!id || !ALERT_ID.test(id) || input.args.length > 1) {
    await audit('rejected', 'bad alert id');
    return input.reply(noticeMessage(':warning:', md`Say \`${rt.config.command} ack ${'<alert>'}\` with the alert's id as its message shows it (e.g. \`prod-3\`); \`${rt.config.command} alerts\` lists them.`));
  }
  const acked = incident && (await rt.watcher.ack(id, input.actor.id));
  if (!acked) {
    await audit('rejected', 'no such open alert');
    return input.reply(noticeMessage(':grey_question:', incident?.resolvedAt !== undefined ? md`Alert \`${id}\` has recovered already: nothing to silence.` : md`No open alert \`${id}\`. \`${rt.config.command} alerts\` lists the open ones.`));
  }
  await audit('ok', `acknowledged ${id}`);
  return input.reply(noticeMessage(':shushing_face:', md`Alert \`${id}\` on ${acked.cluster} is silenced until it recovers.`));
}
