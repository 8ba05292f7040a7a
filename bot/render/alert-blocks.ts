import type { types } from '@slack/bolt';
import type { RunbookStep } from '../../ops/index.js';
import { stepLabel } from '../watch/alert-steps.js';
import { worstOf, type Incident, type TrackedFinding } from '../watch/incident.js';
import { clock, duration } from '../watch/incident-book.js';
import { shorten } from './limits.js';
import type { RenderedMessage } from './result-blocks.js';
import { joinMd, md, mention, mrkdwn, shortenMd, type SlackText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

export const ALERT_RUN_ACTION_PREFIX = 'rmq_alert_run_';
export const ALERT_ACK_ACTION_ID = 'rmq_alert_ack';
/** Lines of findings shown; the rest is "and N more" (the thread and `check` have them all). */
const SHOWN = 12;

/** What a button carries: the alert and the step, checked against what the alert offers when pressed. */
export interface AlertButtonValue {
  incident: string;
  step: string;
}

export function encodeButton(v: AlertButtonValue): string {
  return JSON.stringify({ i: v.incident, s: v.step });
}

export function decodeButton(raw: string): AlertButtonValue | undefined {
  try {
    const v = JSON.parse(raw) as { i?: unknown; s?: unknown };
    return typeof v.i === 'string' && typeof v.s === 'string' ? { incident: v.i, step: v.s } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The alert message: who (the cluster), what (each finding in plain words with its runbook
 * command), since when; buttons for the runbook steps and Ack while it is open. Rendered again
 * in place at every change, so it always tells the current story.
 */
export function alertMessage(
  incident: Incident,
  steps: ReadonlyArray<{ key: string; step: RunbookStep }>,
  intervalSeconds: number,
  command: string,
): RenderedMessage {
  const resolved = incident.resolvedAt !== undefined;
  const worst = worstOf(incident.open.values());
  const cluster = incident.cluster;
  const title = resolved
    ? md`:white_check_mark: *${cluster}* recovered at ${clock(incident.resolvedAt!)} (after ${duration(incident.resolvedAt! - incident.openedAt)})`
    : worst === undefined
      ? md`:large_yellow_circle: *${cluster}* looks healthy again; waiting for another good poll before calling it recovered`
      : md`${worst === 'critical' ? md`:red_circle:` : md`:large_orange_circle:`} *${cluster}* is ${worst.toUpperCase()} since ${clock(incident.openedAt)}`;
  const open = [...incident.open.values()].sort(bySeverity);
  const cleared = [...incident.cleared.values()];
  // only the lines shown are rendered: an alert over thousands of queues keeps every finding, and shows SHOWN
  const lines = open.slice(0, SHOWN).map((t) => md`• ${t.finding.what} _(since ${clock(t.since)})_ → ${t.finding.action}`);
  const gone = cleared.slice(0, SHOWN - lines.length).map((t) => md`• ~${shorten(t.finding.what, 200)}~ cleared ${clock(t.until ?? incident.openedAt)}`);
  const total = open.length + cleared.length;
  const more = total > SHOWN ? md`\n…and ${total - SHOWN} more (\`${command} check ${incident.cluster}\`)` : md``;
  // the lines are cut to fit, never the count after them: it says the alert holds more than it shows
  const shown = md`${shortenMd(md`${title}\n${joinMd([...lines, ...gone], '\n')}`, 2900 - more.markup.length)}${more}`;
  const context: SlackText[] = [md`alert \`${incident.id}\``, md`opened ${clock(incident.openedAt)}`, md`polled every ${intervalSeconds}s`];
  if (incident.reopened) context.push(md`flapping: back ${incident.reopened}×`);
  if (incident.acked) context.push(md`:shushing_face: acknowledged by ${mention(incident.acked.by)} at ${clock(incident.acked.at)}: silent until it recovers`);
  else if (!resolved) context.push(md`\`${command} ack ${incident.id}\` silences it until it recovers`);
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(shown) },
    { type: 'context', elements: [mrkdwn(joinMd(context, ' · '))] },
  ];
  if (!resolved) {
    const buttons: types.Button[] = steps.map(({ key, step }, n) => ({
      type: 'button',
      action_id: `${ALERT_RUN_ACTION_PREFIX}${n}`,
      text: { type: 'plain_text', text: shorten(stepLabel(step), 75) },
      value: encodeButton({ incident: incident.id, step: key }),
      ...(n === 0 && step.action !== 'status' && step.action !== 'logs' && step.action !== 'partitions' ? { style: 'primary' as const } : {}),
    }));
    if (!incident.acked) buttons.push({ type: 'button', action_id: ALERT_ACK_ACTION_ID, text: { type: 'plain_text', text: 'Ack' }, value: incident.id });
    blocks.push({ type: 'actions', block_id: `rmq_alert_${incident.id}`, elements: buttons });
  }
  // the notification's text: Slack text like the blocks, a queue named <!channel> must not notify anyone
  const text = resolved
    ? md`${incident.cluster} recovered (alert ${incident.id})`
    : md`${incident.cluster} ${worst?.toUpperCase() ?? 'recovering'}: ${open
        .slice(0, SHOWN)
        .map((t) => t.finding.what)
        .join('; ')}${open.length > SHOWN ? ` … and ${open.length - SHOWN} more` : ''}`;
  return { text: shortenMd(text, 2900).markup, blocks };
}

/** `/rmq alerts`: the open alerts, one line each. */
export function alertListMessage(incidents: readonly Incident[], unreachable: ReadonlyArray<{ cluster: string; since: number }>): RenderedMessage {
  const lines = incidents.map((i) => {
    const worst = worstOf(i.open.values()) ?? 'recovering';
    const first = [...i.open.values()][0]?.finding.what ?? 'no finding in the last poll';
    return md`• \`${i.id}\` *${i.cluster}* ${worst.toUpperCase()} since ${clock(i.openedAt)}: ${shorten(first, 200)}${i.open.size > 1 ? ` (+${i.open.size - 1} more)` : ''}${i.acked ? md` — acked by ${mention(i.acked.by)}` : ''}`;
  });
  for (const u of unreachable) lines.push(md`• *${u.cluster}* cannot be watched since ${clock(u.since)}`);
  const text = shortenMd(
    lines.length ? md`Open alerts:\n${joinMd(lines, '\n')}` : md`:white_check_mark: No open alert: every watched cluster passed its last poll.`,
    2900,
  );
  return { text: text.markup, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

function bySeverity(a: TrackedFinding, b: TrackedFinding): number {
  return a.finding.severity === b.finding.severity ? a.since - b.since : a.finding.severity === 'critical' ? -1 : 1;
}
