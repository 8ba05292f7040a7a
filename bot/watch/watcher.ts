import type { Logger } from '@slack/bolt';
import { UserError } from '../../lib/errors.js';
import { judgeMetrics, type MetricSample, type ObserveOptions, type Observation, type RunbookStep } from '../../ops/index.js';
import { alertMessage } from '../render/alert-blocks.js';
import type { OutgoingFile, RenderedMessage } from '../render/result-blocks.js';
import { md, mention, mrkdwn, type SlackText } from '../render/slack-text.js';
import type { SlackOut } from '../slack-out.js';
import { alertSteps } from './alert-steps.js';
import { stepKey, type Incident } from './incident.js';
import { ClusterAlerts, type AlertEffect, type PollOutcome } from './incident-book.js';
import { SlackPacer } from './slack-pacer.js';
import { checksOf, type WatchConfig, type WatchedCluster } from './watch-config-schema.js';
import { systemClock } from '../../lib/clock.js';

/** An hour of samples: what the alert chart shows and the publish-drop window can look back on. */
const KEEP_MS = 3_600_000;

export interface WatcherDeps {
  /** Configured cluster name → folder. */
  clusters: Record<string, string>;
  watch: WatchConfig;
  observe: (dir: string, options: ObserveOptions) => Promise<Observation>;
  out: Pick<SlackOut, 'post' | 'update' | 'upload'>;
  /** `/rmq`, for the hints in alert messages. */
  command: string;
  logger: Logger;
  now?: () => number;
  /** Writes at least this far apart per channel (Slack: ~1 message/s/channel). */
  pacer?: SlackPacer;
  /** Whether the bot runs an action (its action table): only those are offered as alert buttons. Default: all. */
  runs?: (action: string) => boolean;
  /** An alert's chart from the watcher's samples; undefined leaves it out. */
  chart?: (cluster: string, samples: readonly MetricSample[]) => Promise<OutgoingFile | undefined>;
}

/** What a poll cost, for the bench and the logs. */
export interface PollStats {
  polls: number;
  lastMs: number;
  totalMs: number;
}

interface Watched {
  name: string;
  dir: string;
  cfg: WatchedCluster;
  checks: ReadonlySet<string>;
  alerts: ClusterAlerts;
  samples: MetricSample[];
  stats: PollStats;
  timer?: NodeJS.Timeout;
  polling?: Promise<void>;
  sampleMissingSaid?: boolean;
}

/**
 * The bot speaking first: every watched cluster is polled on its own timer (one slow or dead
 * cluster never delays another), each poll judged into findings, the findings turned into
 * alert effects by the cluster's ClusterAlerts, and those posted through one pacer.
 */
export class Watcher {
  readonly #watched = new Map<string, Watched>();
  readonly #stop = new AbortController();
  readonly #pacer: SlackPacer;
  readonly #now: () => number;
  #ids = 0;
  #started = false;

  constructor(private readonly deps: WatcherDeps) {
    this.#now = deps.now ?? systemClock;
    this.#pacer = deps.pacer ?? new SlackPacer();
    for (const [name, cfg] of Object.entries(deps.watch.clusters)) {
      const dir = deps.clusters[name];
      if (!dir) continue;
      const alerts = new ClusterAlerts(
        name,
        { channel: cfg.channel, raiseAfter: cfg.raiseAfter, clearAfter: cfg.clearAfter, flapWindowMs: cfg.flapWindowSeconds * 1000 },
        () => `${name}-${++this.#ids}`,
      );
      this.#watched.set(name, { name, dir, cfg, checks: checksOf(cfg), alerts, samples: [], stats: { polls: 0, lastMs: 0, totalMs: 0 } });
    }
  }

  /** Polls every watched cluster now, then every interval. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const w of this.#watched.values()) this.#schedule(w, 0);
  }

  /** Stops the timers, lets running polls end (aborted) and queued posts go out. */
  async stop(): Promise<void> {
    this.#stop.abort();
    for (const w of this.#watched.values()) clearTimeout(w.timer);
    await Promise.all([...this.#watched.values()].map((w) => w.polling));
    await this.#pacer.idle();
  }

  /** One poll of one cluster now (tests, the bench): resolves once its posts have gone out. */
  async pollNow(name: string): Promise<void> {
    const w = this.#watched.get(name);
    if (!w) throw new Error(`${name} is not watched`);
    await (w.polling ?? this.#poll(w));
    await this.#pacer.idle();
  }

  stats(name: string): PollStats | undefined {
    return this.#watched.get(name)?.stats;
  }

  /** Open alerts, oldest first, and the clusters that cannot be watched now. */
  open(): { incidents: Incident[]; unreachable: Array<{ cluster: string; since: number }> } {
    const incidents = [...this.#watched.values()].flatMap((w) => (w.alerts.incident ? [w.alerts.incident] : [])).sort((a, b) => a.openedAt - b.openedAt);
    const unreachable = [...this.#watched.values()].flatMap((w) =>
      w.alerts.unreachableSince !== undefined ? [{ cluster: w.name, since: w.alerts.unreachableSince }] : [],
    );
    return { incidents, unreachable };
  }

  /** An alert by id, open or just recovered. */
  find(id: string): Incident | undefined {
    for (const w of this.#watched.values()) {
      const found = w.alerts.find(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Silence an open alert until it recovers; its message says who acked it. Undefined when not open. */
  async ack(id: string, userId: string): Promise<Incident | undefined> {
    for (const w of this.#watched.values()) {
      const incident = w.alerts.ack(id, userId, this.#now());
      if (!incident) continue;
      await this.#apply(w, [
        { kind: 'refresh', incident },
        { kind: 'thread', incident, text: md`:shushing_face: ${mention(userId)} acknowledged this alert: no more notifications from it until it recovers.` },
      ]);
      return incident;
    }
    return undefined;
  }

  #schedule(w: Watched, delayMs: number): void {
    if (this.#stop.signal.aborted) return;
    w.timer = setTimeout(() => {
      const started = this.#now();
      w.polling = this.#poll(w).finally(() => {
        w.polling = undefined;
        this.#schedule(w, Math.max(0, started + w.cfg.intervalSeconds * 1000 - this.#now()));
      });
    }, delayMs);
  }

  async #poll(w: Watched): Promise<void> {
    const started = this.#now();
    let outcome: PollOutcome;
    try {
      // a poll never runs into the next one: its docker and HTTP calls are cut at the interval (30 s at least)
      const signal = AbortSignal.any([this.#stop.signal, AbortSignal.timeout(Math.max(30, w.cfg.intervalSeconds) * 1000)]);
      // the per-node questions (a docker exec each) only when a configured check reads their answers
      const o = await this.deps.observe(w.dir, { signal, askNodes: w.checks.has('quorum-critical') || w.checks.has('deprecated') });
      if (this.#stop.signal.aborted) return;
      outcome = o.unreachable !== undefined ? { at: o.at, unreachable: o.unreachable } : { at: o.at, findings: this.#findings(w, o) };
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      outcome = { at: this.#now(), unreachable: describe(error) };
      // logged when it starts, like the notice: not at every poll it stays so
      if (w.alerts.unreachableSince === undefined)
        this.deps.logger.warn(`watch ${w.name}: cannot be polled: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      const ms = this.#now() - started;
      w.stats.polls += 1;
      w.stats.lastMs = ms;
      w.stats.totalMs += ms;
    }
    await this.#apply(w, w.alerts.advance(outcome));
  }

  #findings(w: Watched, o: Observation): Observation['check']['findings'] {
    if (o.sample) {
      w.samples.push(o.sample);
      while (w.samples.length > 0 && w.samples[0]!.at < o.at - KEEP_MS) w.samples.shift();
    } else if (o.sampleMissing && !w.sampleMissingSaid && this.#wantsSamples(w)) {
      w.sampleMissingSaid = true;
      this.deps.logger.warn(`watch ${w.name}: queue thresholds are not judged without the management API (${o.sampleMissing})`);
    }
    const judged = [...o.check.findings, ...(o.sample ? judgeMetrics(w.samples, w.cfg.thresholds) : [])];
    return judged.filter((f) => w.checks.has(f.check));
  }

  #wantsSamples(w: Watched): boolean {
    const t = w.cfg.thresholds;
    return t.queueDepth !== undefined || !!t.noConsumers || !!t.publishDrop;
  }

  /** Posts what the alert book decided. A failed post is logged; the next change tries again. */
  async #apply(w: Watched, effects: readonly AlertEffect[]): Promise<void> {
    for (const e of effects) {
      try {
        await this.#applyOne(w, e);
      } catch (error) {
        this.deps.logger.error(`watch ${w.name}: posting ${e.kind} failed: ${describe(error)}`);
      }
    }
  }

  async #applyOne(w: Watched, e: AlertEffect): Promise<void> {
    const { out } = this.deps;
    const channel = w.cfg.channel;
    if (e.kind === 'notice') {
      await this.#pacer.run(channel, () => out.post(channel, plain(e.text)));
      return;
    }
    const incident = e.incident;
    if (e.kind === 'thread') {
      if (incident.ts) await this.#pacer.run(channel, () => out.post(channel, plain(e.text), incident.ts));
      return;
    }
    const msg = this.#render(w, incident);
    if (e.kind === 'open') {
      incident.ts = await this.#pacer.run(channel, () => out.post(channel, msg));
      const chart =
        w.cfg.chart && this.deps.chart && incident.ts
          ? await this.deps.chart(w.name, w.samples).catch((error: unknown) => void this.deps.logger.warn(`watch ${w.name}: chart failed: ${describe(error)}`))
          : undefined;
      if (chart) await this.#pacer.run(channel, () => out.upload(channel, chart, incident.ts));
      return;
    }
    const ts = incident.ts;
    if (ts) await this.#pacer.run(channel, () => out.update(channel, ts, this.#render(w, incident)), `update:${ts}`);
  }

  /**
   * The runbook steps an alert offers now, by key: what its buttons show (none once recovered).
   * Worked out from the alert's findings at every ask, never kept: a button still on someone's
   * screen after its finding cleared (the update may be a pacing gap away) names a step that is
   * no longer here, and runs nothing.
   */
  offers(incident: Incident): Map<string, RunbookStep> {
    const steps = incident.resolvedAt === undefined ? alertSteps(incident, this.deps.runs) : [];
    return new Map(steps.map((s) => [stepKey(s), s]));
  }

  #render(w: Watched, incident: Incident): RenderedMessage {
    const steps = [...this.offers(incident)].map(([key, step]) => ({ key, step }));
    return alertMessage(incident, steps, w.cfg.intervalSeconds, this.deps.command);
  }
}

function plain(text: SlackText): RenderedMessage {
  return { text: text.markup, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** A user-facing reason: what a UserError says, else its kind only (details stay in the log). */
function describe(error: unknown): string {
  if (error instanceof UserError) return error.message.split('\n')[0]!;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within the poll timeout';
  return `unexpected ${error instanceof Error ? error.name : typeof error}`;
}
