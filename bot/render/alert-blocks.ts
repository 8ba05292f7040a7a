import type { types } from '@slack/bolt';
import type { RunbookStep } from '../../ops/index.js';
import { stepLabel } from '../watch/alert-steps.js';
import { worstOf, type Incident, type TrackedFinding } from '../watch/incident.js';
import { clock, duration } from '../watch/incident-book.js';
import { escapeMrkdwn, shorten } from './limits.js';
import type { RenderedMessage } from './result-blocks.js';

type KnownBlock = types.KnownBlock;

export const ALERT_RUN_ACTION_PREFIX = 'rmq_alert_run_';
export const ALERT_ACK_ACTION_ID = 'rmq_alert_ack';
/** Lines of findings shown; the rest is "and N more" (the thread and `check` have them all). */
const SHOWN = 12;

/** What a button carries: the alert and the step, checked against what the alert offered. */
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
export function alertMessage(incident: Incident, steps: ReadonlyArray<{ key: string; step: RunbookStep }>, intervalSeconds: number, command: string): RenderedMessage {
  const resolved = incident.resolvedAt !== undefined;
  const worst = worstOf(incident.open.values());
  const cluster = escapeMrkdwn(incident.cluster);
  const title = resolved
    ? `:white_check_mark: *${cluster}* recovered at ${clock(incident.resolvedAt!)} (after ${duration(incident.resolvedAt! - incident.openedAt)})`
    : worst === undefined
      ? `:large_yellow_circle: *${cluster}* looks healthy again; waiting for another good poll before calling it recovered`
      : `${worst === 'critical' ? ':red_circle:' : ':large_orange_circle:'} *${cluster}* is ${worst.toUpperCase()} since ${clock(incident.openedAt)}`;
  const lines = [...incident.open.values()].sort(bySeverity).map((t) => `• ${escapeMrkdwn(t.finding.what)} _(since ${clock(t.since)})_ → ${escapeMrkdwn(t.finding.action)}`);
  const gone = [...incident.cleared.values()].map((t) => `• ~${escapeMrkdwn(shorten(t.finding.what, 200))}~ cleared ${clock(t.until ?? incident.openedAt)}`);
  const all = [...lines, ...gone];
  const shown = all.slice(0, SHOWN).join('\n') + (all.length > SHOWN ? `\n…and ${all.length - SHOWN} more (\`${command} check ${incident.cluster}\`)` : '');
  const context = [`alert \`${incident.id}\``, `opened ${clock(incident.openedAt)}`, `polled every ${intervalSeconds}s`];
  if (incident.reopened) context.push(`flapping: back ${incident.reopened}×`);
  if (incident.acked) context.push(`:shushing_face: acknowledged by <@${incident.acked.by}> at ${clock(incident.acked.at)}: silent until it recovers`);
  else if (!resolved) context.push(`\`${command} ack ${incident.id}\` silences it until it recovers`);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: shorten(`${title}\n${shown}`, 2900) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] },
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
  const plain = resolved ? `${incident.cluster} recovered (alert ${incident.id})` : `${incident.cluster} ${worst?.toUpperCase() ?? 'recovering'}: ${[...incident.open.values()].map((t) => t.finding.what).join('; ')}`;
  return { text: shorten(plain, 2900), blocks };
}

/** `/rmq alerts`: the open alerts, one line each. */
export function alertListMessage(incidents: readonly Incident[], unreachable: ReadonlyArray<{ cluster: string; since: number }>): RenderedMessage {
  const lines = incidents.map((i) => {
    const worst = worstOf(i.open.values()) ?? 'recovering';
    const first = [...i.open.values()][0]?.finding.what ?? 'no finding in the last poll';
    return `• \`${i.id}\` *${escapeMrkdwn(i.cluster)}* ${worst.toUpperCase()} since ${clock(i.openedAt)}: ${escapeMrkdwn(shorten(first, 200))}${i.open.size > 1 ? ` (+${i.open.size - 1} more)` : ''}${i.acked ? ` — acked by <@${i.acked.by}>` : ''}`;
  });
  for (const u of unreachable) lines.push(`• *${escapeMrkdwn(u.cluster)}* cannot be watched since ${clock(u.since)}`);
  const text = lines.length ? `Open alerts:\n${lines.join('\n')}` : ':white_check_mark: No open alert: every watched cluster passed its last poll.';
  return { text: shorten(text, 2900), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: shorten(text, 2900) } }] };
}

function bySeverity(a: TrackedFinding, b: TrackedFinding): number {
  return a.finding.severity === b.finding.severity ? a.since - b.since : a.finding.severity === 'critical' ? -1 : 1;
}
