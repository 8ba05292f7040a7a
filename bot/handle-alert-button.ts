import { decodeButton } from './render/alert-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
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
 * alert and a step: the step must be one the alert's message offers now (a button left on a
 * screen after its finding cleared, or a crafted payload, runs nothing). Then the same path as a
 * slash command, with confirmation before any change and every message in the alert's thread.
 */
export async function handleAlertRun(rt: BotRuntime, input: AlertButtonInput): Promise<void> {
  const startedAt = rt.now();
  const actor = slackActor(input.userId, input.userName, input.channel);
  const value = decodeButton(input.value);
  const incident = value ? rt.watcher?.find(value.incident) : undefined;
  if (!value || !incident) {
    await auditUnbound(rt, { actor, action: 'alert-button', cluster: undefined, args: [], result: 'rejected', startedAt, detail: 'unknown alert' });
    return input.reply(noticeMessage(':grey_question:', md`This alert is not known any more (the bot restarted, or it is long over). Run the command yourself: \`${rt.config.command} help\`.`));
  }
  const rejected = (detail: string) =>
    auditUnbound(rt, { actor, action: 'alert-button', cluster: incident.cluster, args: [value.step], result: 'rejected', startedAt, detail });
  if (incident.resolvedAt !== undefined) {
    await rejected(`alert ${incident.id} had recovered`);
    // the step's words come back from the payload: shown (escaped) as a command to type, never run
    const [action = '', ...argv] = value.step.split(' ');
    return input.reply(noticeMessage(':white_check_mark:', md`Alert \`${incident.id}\` has recovered: nothing was run. If it is still needed: \`${[rt.config.command, action, incident.cluster, ...argv].join(' ')}\`.`));
  }
  const step = rt.watcher?.offers(incident).get(value.step);
  if (!step) {
    await rejected('step not offered by the alert');
    return input.reply(noticeMessage(':no_entry_sign:', md`Alert \`${incident.id}\` no longer offers that step (\`${value.step}\`): what it was for has changed since the button was shown. Nothing was run; the alert's message shows the steps it offers now.`));
  }
  const entry = rt.deps.ops.entry(step.action);
  if (!entry) {
    await auditUnbound(rt, { actor, action: step.action, cluster: incident.cluster, args: step.argv, result: 'rejected', startedAt, detail: 'unknown action' });
    return input.reply(noticeMessage(':grey_question:', md`\`${step.action}\` is not an action this bot runs.`));
  }
  await runRequest(rt, {
    actor, entry, argv: step.argv, cluster: incident.cluster, channel: incident.channel, startedAt, reply: input.reply,
    ...(incident.ts ? { threadTs: incident.ts } : {}), confirmMutating: true, origin: `alert ${incident.id} ${step.action}`,
  });
}
