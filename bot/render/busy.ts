import type { LockHolder } from '../ports.js';
import { commandLabel, noticeMessage, type RenderedMessage } from './result-blocks.js';
import { escapeMrkdwn } from './limits.js';

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** One mutating action per cluster: tell the second person who is running what, since when. */
export function busyMessage(cluster: string, holder: LockHolder, now = Date.now()): RenderedMessage {
  const who = holder.actor.via === 'slack' ? `<@${holder.actor.id}>` : `${escapeMrkdwn(holder.actor.name ?? holder.actor.id)} (from the CLI)`;
  const since = Math.floor(holder.since.getTime() / 1000);
  const what = escapeMrkdwn(commandLabel({ action: holder.action, cluster, argv: holder.args }));
  return noticeMessage(
    ':lock:',
    `${cluster} is busy: ${who} is running \`${what}\` since <!date^${since}^{date_short_pretty} {time_secs}|${holder.since.toISOString()}> (${ago(now - holder.since.getTime())} ago). Try again when it has finished.`,
  );
}
