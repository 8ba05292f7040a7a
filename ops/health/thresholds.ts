import type { MetricSample } from '../metrics/metric-sample.js';
import { meanBetween, ratesFromCounters } from '../metrics/rates.js';
import type { HealthFinding } from './findings.js';

/** The watcher's per-cluster limits (bot config `watch.clusters.<name>.thresholds`); each is off when absent. */
export interface MetricThresholds {
  /** A queue holding more messages than this. */
  queueDepth?: number;
  /** A queue with messages and no consumer, at or above `minMessages`. */
  noConsumers?: { minMessages: number };
  /** The publish rate of the last poll fell by `percent` against its mean over `windowSeconds`, from at least `minRate` msg/s. */
  publishDrop?: { percent: number; windowSeconds: number; minRate: number };
}

/** How many queues one finding names before it says "and N more". */
const NAMED = 5;

/**
 * Findings from the watcher's own samples (oldest first; the last is the poll just made). Pure:
 * the same samples and limits give the same findings, so the alert logic is tested without a
 * cluster. Queue findings are one per kind (naming the worst queues), not one per queue: a
 * thousand queues over the limit are one problem to act on, not a thousand alerts.
 */
export function judgeMetrics(samples: readonly MetricSample[], limits: MetricThresholds): HealthFinding[] {
  const last = samples.at(-1);
  if (!last) return [];
  const out: HealthFinding[] = [];
  const label = (q: { vhost: string; name: string }) => (q.vhost === '/' ? q.name : `${q.vhost}/${q.name}`);
  const list = (names: string[]) => `${names.slice(0, NAMED).join(', ')}${names.length > NAMED ? ` and ${names.length - NAMED} more` : ''}`;

  if (limits.queueDepth !== undefined) {
    const max = limits.queueDepth;
    const deep = last.queues.filter((q) => (q.messages ?? 0) > max).sort((a, b) => (b.messages ?? 0) - (a.messages ?? 0));
    if (deep.length) {
      const names = deep.map((q) => `${label(q)} (${q.messages!.toLocaleString('en-US')})`);
      out.push({
        check: 'queue-depth',
        severity: 'degraded',
        subject: deep.length === 1 ? label(deep[0]!) : `${deep.length} queues`,
        what: `${deep.length === 1 ? 'queue' : 'queues'} over ${max.toLocaleString('en-US')} messages: ${list(names)}; consumers are not keeping up`,
        action: 'add consumers or find why they are slow (`rmq-compose status`)',
        run: { action: 'status', argv: [] },
      });
    }
  }
  if (limits.noConsumers) {
    const min = Math.max(1, limits.noConsumers.minMessages);
    const orphaned = last.queues.filter((q) => q.consumers === 0 && (q.messages ?? 0) >= min);
    if (orphaned.length) {
      const names = orphaned.map((q) => `${label(q)} (${q.messages!.toLocaleString('en-US')})`);
      out.push({
        check: 'no-consumers',
        severity: 'degraded',
        subject: orphaned.length === 1 ? label(orphaned[0]!) : `${orphaned.length} queues`,
        what: `no consumer on ${list(names)}: messages wait and nobody reads them`,
        action: 'start the consuming service again, or delete the queue if it is no longer used',
      });
    }
  }
  const drop = limits.publishDrop;
  if (drop) {
    const rates = ratesFromCounters(samples.map((s) => ({ t: s.at, v: s.published })));
    const now = rates.at(-1);
    // the mean before the last step: the drop is the last step against what came before it
    const before = now ? meanBetween(rates.slice(0, -1), now.t - drop.windowSeconds * 1000, now.t - 1) : undefined;
    if (now && before !== undefined && before >= drop.minRate && now.v <= before * (1 - drop.percent / 100)) {
      out.push({
        check: 'publish-drop',
        severity: 'degraded',
        subject: 'publish rate',
        what: `publishing fell to ${fmtRate(now.v)} msg/s from ${fmtRate(before)} msg/s (mean of the last ${Math.round(drop.windowSeconds / 60)} min): publishers may be blocked, failing or gone`,
        action: 'check the publishing services and the alarms (`rmq-compose status`)',
        run: { action: 'status', argv: [] },
      });
    }
  }
  return out;
}

function fmtRate(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}
