import { lockAge, lockPlace, type LockHolder } from '../../ops/index.js';
import { commandLabel, noticeMessage, type RenderedMessage } from './result-blocks.js';
import { escapeMrkdwn } from './limits.js';

/** One mutating action per cluster: tell the second person who is running what, since when, where. */
export function busyMessage(cluster: string, holder: LockHolder, now = Date.now()): RenderedMessage {
  const who = holder.actor.via === 'slack' ? `<@${escapeMrkdwn(holder.actor.id)}>` : `${escapeMrkdwn(holder.actor.name ?? holder.actor.id)} (from the CLI)`;
  const since = Math.floor(holder.since.getTime() / 1000);
  const what = escapeMrkdwn(commandLabel({ action: holder.action, cluster, argv: holder.args }));
  return noticeMessage(
    ':lock:',
    `${escapeMrkdwn(cluster)} is busy: ${who} is running \`${what}\` since <!date^${since}^{date_short_pretty} {time_secs}|${holder.since.toISOString()}> ` +
      `(${lockAge(holder, now)} ago)${escapeMrkdwn(lockPlace(holder))}. Try again when it has finished; if that process is gone for good, \`unlock\` breaks the lock (asks first).`,
  );
}
