import type { HealthFinding, RunbookStep, Severity } from '../../ops/index.js';

/** A finding as an alert shows it: since when it has been seen, and until when once it cleared. */
export interface TrackedFinding {
  finding: HealthFinding;
  since: number;
  until?: number;
}

/**
 * One alert: everything wrong with one cluster from the moment it turned bad until it has been
 * good for `clearAfter` polls. One message in the channel, updated as findings come and go;
 * recovery and changes worth a notification go in its thread.
 */
export interface Incident {
  /** Short and typeable: `/rmq ack prod-3`. */
  id: string;
  cluster: string;
  channel: string;
  openedAt: number;
  /** Findings seen in the latest poll, by key (findingKey). */
  open: Map<string, TrackedFinding>;
  /** Findings of this incident that have cleared. */
  cleared: Map<string, TrackedFinding>;
  /** The message carrying the alert, once posted. */
  ts?: string;
  acked?: { by: string; at: number };
  /** Set once recovered. */
  resolvedAt?: number;
  /** Times it came back within the flap window after a recovery. */
  reopened: number;
}

/**
 * The same problem across polls. Queue subjects carry their member counts ("q1 (1/3 members
 * online)") and threshold findings their queue counts: the first word (or the kind alone) keeps
 * one problem one entry while its numbers move.
 */
export function findingKey(f: HealthFinding): string {
  if (f.check === 'queue-depth' || f.check === 'no-consumers' || f.check === 'publish-drop') return f.check;
  const subject = f.subject.split(' ')[0] ?? f.subject;
  return f.check === 'alarm' ? `${f.check}|${subject}|${f.what.split(' ')[0]}` : `${f.check}|${subject}`;
}

export function stepKey(s: RunbookStep): string {
  return [s.action, ...s.argv].join(' ');
}

export function worstOf(findings: Iterable<TrackedFinding>): Severity | undefined {
  let worst: Severity | undefined;
  for (const t of findings) {
    if (t.finding.severity === 'critical') return 'critical';
    worst = 'degraded';
  }
  return worst;
}
