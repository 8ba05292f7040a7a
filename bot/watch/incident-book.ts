import type { HealthFinding } from '../../ops/index.js';
import { md, type SlackText } from '../render/slack-text.js';
import { findingKey, worstOf, type Incident } from './incident.js';

/** How one cluster's findings become alerts (from its watch config). */
export interface AlertPolicy {
  channel: string;
  raiseAfter: number;
  clearAfter: number;
  flapWindowMs: number;
}

/** What a poll brought: findings (already filtered to the configured checks), or no answer at all. */
export type PollOutcome = { at: number; findings: readonly HealthFinding[] } | { at: number; unreachable: string };

/** What the watcher must say in Slack after a poll; the book only decides, the watcher posts. */
export type AlertEffect =
  | { kind: 'open'; incident: Incident }
  | { kind: 'refresh'; incident: Incident }
  | { kind: 'thread'; incident: Incident; text: SlackText }
  | { kind: 'notice'; cluster: string; channel: string; text: SlackText };

/**
 * One cluster's alert state across polls. Pure apart from the id source: every rule about when
 * to post (raise after N bad polls, recover after M good ones, reopen within the flap window
 * instead of a new post, say "unreachable" once) lives here and is tested without Slack.
 */
export class ClusterAlerts {
  #bad = 0;
  #good = 0;
  #incident: Incident | undefined;
  #lastResolved: Incident | undefined;
  #unreachable: { since: number; reason: string } | undefined;

  constructor(
    readonly cluster: string,
    private readonly policy: AlertPolicy,
    private readonly newId: () => string,
  ) {}

  get incident(): Incident | undefined {
    return this.#incident;
  }

  get unreachableSince(): number | undefined {
    return this.#unreachable?.since;
  }

  /** The incident with this id, open or the last recovered one (a late button press names it). */
  find(id: string): Incident | undefined {
    return [this.#incident, this.#lastResolved].find((i) => i?.id === id);
  }

  advance(poll: PollOutcome): AlertEffect[] {
    const { channel } = this.policy;
    if ('unreachable' in poll) {
      if (this.#unreachable) {
        this.#unreachable.reason = poll.unreachable;
        return [];
      }
      // said once: the next polls keep trying quietly, and the way back is announced
      this.#unreachable = { since: poll.at, reason: poll.unreachable };
      return [
        {
          kind: 'notice',
          cluster: this.cluster,
          channel,
          text: md`:electric_plug: *${this.cluster}* cannot be watched since ${clock(poll.at)}: ${poll.unreachable}. I keep trying every poll and will say when it answers again; other clusters are still watched.`,
        },
      ];
    }
    const effects: AlertEffect[] = [];
    if (this.#unreachable) {
      effects.push({
        kind: 'notice',
        cluster: this.cluster,
        channel,
        text: md`:electric_plug: *${this.cluster}* answers again (unreachable for ${duration(poll.at - this.#unreachable.since)}).`,
      });
      this.#unreachable = undefined;
    }
    if (poll.findings.length > 0) {
      this.#bad += 1;
      this.#good = 0;
      if (this.#incident) return [...effects, ...this.#merge(this.#incident, poll)];
      if (this.#bad < this.policy.raiseAfter) return effects;
      const last = this.#lastResolved;
      if (last?.resolvedAt !== undefined && poll.at - last.resolvedAt <= this.policy.flapWindowMs) {
        // back soon after recovering: the same alert again, so a flapping node is one message, not ten
        last.resolvedAt = undefined;
        last.reopened += 1;
        this.#incident = last;
        this.#lastResolved = undefined;
        this.#merge(last, poll);
        return [
          ...effects,
          { kind: 'refresh', incident: last },
          {
            kind: 'thread',
            incident: last,
            text: md`:rotating_light: Bad again at ${clock(poll.at)} (${last.reopened} time${last.reopened > 1 ? 's' : ''} since it first recovered): ${summary(poll.findings)}`,
          },
        ];
      }
      const incident: Incident = { id: this.newId(), cluster: this.cluster, channel, openedAt: poll.at, open: new Map(), cleared: new Map(), reopened: 0 };
      for (const f of poll.findings) incident.open.set(findingKey(f), { finding: f, since: poll.at });
      this.#incident = incident;
      return [...effects, { kind: 'open', incident }];
    }

    this.#bad = 0;
    this.#good += 1;
    const incident = this.#incident;
    if (!incident) return effects;
    const changed = this.#clearAll(incident, poll.at);
    if (this.#good < this.policy.clearAfter) return changed ? [...effects, { kind: 'refresh', incident }] : effects;
    incident.resolvedAt = poll.at;
    incident.acked = undefined;
    this.#incident = undefined;
    this.#lastResolved = incident;
    return [
      ...effects,
      { kind: 'refresh', incident },
      { kind: 'thread', incident, text: md`:white_check_mark: Recovered at ${clock(poll.at)}, ${duration(poll.at - incident.openedAt)} after it started.` },
    ];
  }

  /** Silence the open incident until it recovers: no notification from it until then. */
  ack(id: string, by: string, at: number): Incident | undefined {
    const incident = this.#incident;
    if (incident?.id !== id) return undefined;
    incident.acked ??= { by, at };
    return incident;
  }

  /** New findings join, gone ones move to cleared; a notification only when it got worse and nobody acked it. */
  #merge(incident: Incident, poll: { at: number; findings: readonly HealthFinding[] }): AlertEffect[] {
    const before = worstOf(incident.open.values());
    const seen = new Set<string>();
    let changed = false;
    for (const f of poll.findings) {
      const key = findingKey(f);
      seen.add(key);
      const had = incident.open.get(key);
      if (had) {
        if (had.finding.what !== f.what || had.finding.severity !== f.severity) changed = true;
        had.finding = f;
        continue;
      }
      changed = true;
      incident.cleared.delete(key);
      incident.open.set(key, { finding: f, since: poll.at });
    }
    for (const [key, t] of incident.open) {
      if (seen.has(key)) continue;
      changed = true;
      incident.open.delete(key);
      incident.cleared.set(key, { ...t, until: poll.at });
    }
    if (!changed) return [];
    const effects: AlertEffect[] = [{ kind: 'refresh', incident }];
    if (before !== 'critical' && worstOf(incident.open.values()) === 'critical' && !incident.acked) {
      effects.push({ kind: 'thread', incident, text: md`:rotating_light: Now CRITICAL: ${summary(poll.findings.filter((f) => f.severity === 'critical'))}` });
    }
    return effects;
  }

  #clearAll(incident: Incident, at: number): boolean {
    if (incident.open.size === 0) return false;
    for (const [key, t] of incident.open) incident.cleared.set(key, { ...t, until: at });
    incident.open.clear();
    return true;
  }
}

/** Findings named in a thread message; the alert itself (and `check`) has the rest. */
const SUMMARY_SHOWN = 10;

/**
 * Plain words from the broker: md() escapes them where they are put into a message. The first
 * few and a count: a node down under thousands of queues must not make one Slack message of them all.
 */
function summary(findings: readonly HealthFinding[]): string {
  const named = findings
    .slice(0, SUMMARY_SHOWN)
    .map((f) => f.what)
    .join('; ');
  return findings.length > SUMMARY_SHOWN ? `${named} … and ${findings.length - SUMMARY_SHOWN} more` : named;
}

/** HH:MM UTC: the bot's clock and the people's may differ, so the zone is said. */
export function clock(at: number): string {
  return `${new Date(at).toISOString().slice(11, 16)} UTC`;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
