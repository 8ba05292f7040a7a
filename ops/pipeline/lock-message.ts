import type { LockHolder } from '../lock.js';

/** "3 min", "2.5 h": how long a lock has been held. */
export function lockAge(holder: Pick<LockHolder, 'since'>, now: number): string {
  const s = Math.max(0, Math.round((now - holder.since.getTime()) / 1000));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** Where the holder runs, when the lock says so: " on build-7 (pid 4242)". */
export function lockPlace(holder: Pick<LockHolder, 'host' | 'pid'>): string {
  if (!holder.host) return '';
  return ` on ${holder.host}${holder.pid ? ` (pid ${holder.pid})` : ''}`;
}

/** The terminal's busy message: who runs what since when, and how to break a lock left behind. */
export function busyText(cluster: string, holder: LockHolder, now: number): string {
  return (
    `${cluster} is busy: ${holder.actor.via} user ${holder.actor.id} is running ${[holder.action, ...holder.args].join(' ')} ` +
    `since ${holder.since.toISOString()} (${lockAge(holder, now)} ago)${lockPlace(holder)}. Try again when it has finished; ` +
    'if that process is gone for good, break the lock with `rmq-compose unlock` (asks first, audited)'
  );
}
