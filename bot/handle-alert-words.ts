import type { Actor, OpsRequest } from '../ops/index.js';
import { knowsCluster, readableClusters } from './known-clusters.js';
import { alertListMessage } from './render/alert-blocks.js';
import { notAllowed } from './render/not-allowed.js';
import { noticeMessage } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
import type { BotRuntime, Reply } from './runtime.js';

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
 * They run no action, but are authorized (fail closed) and audited by the request runner: an
 * ack in its cluster's audit.log, the list in the bot's own. An alert on a cluster this person
 * may not know of is, to them, no alert at all (its id names the cluster).
 */
export async function handleAlertWords(rt: BotRuntime, input: AlertWordsInput): Promise<void> {
  const who = { user: input.actor.id, channel: input.channel };
  const id = input.args[0];
  const found = input.word === 'ack' && id ? rt.watcher?.find(id) : undefined;
  const incident = found && (await knowsCluster(rt, who, found.cluster, 'ack', true)) ? found : undefined;
  const dir = incident ? rt.config.clusters[incident.cluster] : undefined;
  const request: OpsRequest = {
    actor: input.actor,
    origin: 'chat',
    action: input.word,
    argv: input.args,
    startedAt: input.startedAt,
    ...(incident ? { cluster: incident.cluster } : {}),
    ...(dir ? { dir } : {}),
  };
  const decision = await rt.runner.authorize(request, input.word === 'ack');
  if (!decision.allowed) return input.reply(notAllowed(decision.reason));

  if (!rt.watcher) {
    await rt.runner.note(request, 'rejected', 'no watcher configured');
    return input.reply(noticeMessage(':grey_question:', md`No cluster is watched: add a \`watch:\` section to the bot's configuration (README "Watcher").`));
  }
  if (input.word === 'alerts') {
    const readable = new Set(await readableClusters(rt, who));
    const open = rt.watcher.open();
    const incidents = open.incidents.filter((i) => readable.has(i.cluster));
    await rt.runner.note(request, 'ok', `${incidents.length} open`);
    return input.reply(
      alertListMessage(
        incidents,
        open.unreachable.filter((u) => readable.has(u.cluster)),
      ),
    );
  }
  if (!id || !ALERT_ID.test(id) || input.args.length > 1) {
    await rt.runner.note(request, 'rejected', 'bad alert id');
    return input.reply(
      noticeMessage(
        ':warning:',
        md`Say \`${rt.config.command} ack ${'<alert>'}\` with the alert's id as its message shows it (e.g. \`prod-3\`); \`${rt.config.command} alerts\` lists them.`,
      ),
    );
  }
  const acked = incident && (await rt.watcher.ack(id, input.actor.id));
  if (!acked) {
    await rt.runner.note(request, 'rejected', 'no such open alert');
    return input.reply(
      noticeMessage(
        ':grey_question:',
        incident?.resolvedAt !== undefined
          ? md`Alert \`${id}\` has recovered already: nothing to silence.`
          : md`No open alert \`${id}\`. \`${rt.config.command} alerts\` lists the open ones.`,
      ),
    );
  }
  await rt.runner.note(request, 'ok', `acknowledged ${id}`);
  return input.reply(noticeMessage(':shushing_face:', md`Alert \`${id}\` on ${acked.cluster} is silenced until it recovers.`));
}
