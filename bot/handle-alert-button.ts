import { decodeButton } from './render/alert-blocks.js';
import { escapeMrkdwn } from './render/limits.js';
import { noticeMessage } from './render/result-blocks.js';
import { runRequest } from './run-request.js';
import { auditUnbound, slackActor, type BotRuntime, type Reply } from './runtime.js';

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
 * alert and a step: the step must be one that alert offered, so a crafted payload cannot run
 * anything else. Then the same path as a slash command, with confirmation before any change
 * and every message in the alert's thread.
 */
export async function handleAlertRun(rt: BotRuntime, input: AlertButtonInput): Promise<void> {
  const startedAt = rt.now();
  const actor = slackActor(input.userId, input.userName, input.channel);
  const value = decodeButton(input.value);
  const incident = value ? rt.watcher?.find(value.incident) : undefined;
  const step = value ? incident?.offered.get(value.step) : undefined;
  if (!incident || !step) {
    await input.reply(noticeMessage(':grey_question:', `This alert is not known any more (the bot restarted, or it is long over). Run the command yourself: \`${rt.config.command} help\`.`));
    return auditUnbound(rt, { actor, action: 'alert-button', cluster: incident?.cluster, args: [], result: 'rejected', startedAt, detail: incident ? 'step not offered by the alert' : 'unknown alert' });
  }
  const entry = rt.deps.ops.entry(step.action);
  if (!entry) {
    await input.reply(noticeMessage(':grey_question:', `\`${step.action}\` is not an action this bot runs.`));
    return auditUnbound(rt, { actor, action: step.action, cluster: incident.cluster, args: step.argv, result: 'rejected', startedAt, detail: 'unknown action' });
  }
  if (incident.resolvedAt !== undefined && entry.mutating) {
    await input.reply(noticeMessage(':white_check_mark:', `Alert \`${escapeMrkdwn(incident.id)}\` has recovered: nothing was run. If it is still needed: \`${rt.config.command} ${step.action} ${incident.cluster} ${step.argv.join(' ')}\`.`));
    return auditUnbound(rt, { actor, action: step.action, cluster: incident.cluster, dir: rt.config.clusters[incident.cluster], args: step.argv, result: 'rejected', startedAt, detail: `alert ${incident.id} had recovered` });
  }
  await runRequest(rt, {
    actor, entry, argv: step.argv, cluster: incident.cluster, channel: incident.channel, startedAt, reply: input.reply,
    ...(incident.ts ? { threadTs: incident.ts } : {}), confirmMutating: true, origin: `alert ${incident.id} ${step.action}`,
  });
}
