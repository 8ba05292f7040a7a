import { lockAge, lockPlace, type LockHolder } from '../../ops/index.js';
import { commandLabel, noticeMessage, type RenderedMessage } from './result-blocks.js';
import { md, mention } from './slack-text.js';

/** One mutating action per cluster: tell the second person who is running what, since when, where. */
export function busyMessage(cluster: string, holder: LockHolder, now: number): RenderedMessage {
  const who = holder.actor.via === 'slack' ? mention(holder.actor.id) : md`${holder.actor.name ?? holder.actor.id} (from the CLI)`;
  const since = Math.floor(holder.since.getTime() / 1000);
  const what = commandLabel({ action: holder.action, cluster, argv: holder.args });
  // <!date> renders in each reader's own time zone
  const when = md`<!date^${since}^{date_short_pretty} {time_secs}|${holder.since.toISOString()}>`;
  const next = md`Try again when it has finished; if that process is gone for good, \`unlock\` breaks the lock (asks first).`;
  return noticeMessage(
    ':lock:',
    md`${cluster} is busy: ${who} is running \`${what}\` since ${when} (${lockAge(holder, now)} ago)${lockPlace(holder)}. ${next}`,
  );
}
