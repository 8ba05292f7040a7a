import type { OpsRequest } from '../ops/index.js';
import { decodeButton } from './render/alert-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
import { runChatRequest } from './run-request.js';
import { slackActor, type BotRuntime, type Reply } from './runtime.js';

export interface AlertButtonInput {
  userId: string;
  userName: string | undefined;
  channel: string;
  /** The button's value as Slack sent it back. */
  value: string;
  reply: Reply;
}

/**
 * A runbook button on an alert ("Restart rabbit2", "Show status"). The payload names only the
 * alert and a step: the step must be one the alert's message offers now (a button left on a
 * screen after its finding cleared, or a crafted payload, runs nothing). Then the request runner
 * with origin `alert-button` (so any change is confirmed first) and every message in the
 * alert's thread. Every refusal is in the cluster's audit.log.
 */
export async function handleAlertRun(rt: BotRuntime, input: AlertButtonInput): Promise<void> {
  const actor = slackActor(input.userId, input.userName, input.channel);
  const press: OpsRequest = { actor, origin: 'alert-button', action: 'alert-button', argv: [], startedAt: rt.now() };
  const value = decodeButton(input.value);
  const incident = value ? rt.watcher?.find(value.incident) : undefined;
  if (!value || !incident) {
    await rt.runner.note(press, 'rejected', 'unknown alert');
    return input.reply(
      noticeMessage(
        ':grey_question:',
        md`This alert is not known any more (the bot restarted, or it is long over). Run the command yourself: \`${rt.config.command} help\`.`,
      ),
    );
  }
  const dir = rt.config.clusters[incident.cluster];
  const onCluster: OpsRequest = { ...press, argv: [value.step], cluster: incident.cluster, ...(dir ? { dir } : {}) };
  if (incident.resolvedAt !== undefined) {
    await rt.runner.note(onCluster, 'rejected', `alert ${incident.id} had recovered`);
    // the step's words come back from the payload: shown (escaped) as a command to type, never run
    const [action = '', ...argv] = value.step.split(' ');
    return input.reply(
      noticeMessage(
        ':white_check_mark:',
        md`Alert \`${incident.id}\` has recovered: nothing was run. If it is still needed: \`${[rt.config.command, action, incident.cluster, ...argv].join(' ')}\`.`,
      ),
    );
  }
  const step = rt.watcher?.offers(incident).get(value.step);
  if (!step) {
    await rt.runner.note(onCluster, 'rejected', 'step not offered by the alert');
    return input.reply(
      noticeMessage(
        ':no_entry_sign:',
        md`Alert \`${incident.id}\` no longer offers that step (\`${value.step}\`): what it was for has changed since the button was shown. Nothing was run; the alert's message shows the steps it offers now.`,
      ),
    );
  }
  // authorized, and audited, as asked from the alert's channel
  const request: OpsRequest = { ...onCluster, actor: { ...actor, channel: incident.channel }, action: step.action, argv: step.argv };
  await runChatRequest(rt, {
    request,
    clusterName: incident.cluster,
    channel: incident.channel,
    reply: input.reply,
    ...(incident.ts ? { threadTs: incident.ts } : {}),
    context: `alert ${incident.id} ${step.action}`,
  });
}
