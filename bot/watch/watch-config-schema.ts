import { z } from 'zod';
import { CHECK_IDS, METRIC_CHECK_IDS } from '../../ops/catalog.js';

/**
 * What the watcher alerts on when a cluster's `checks` is not given: everything that needs a
 * person now, and certificates (an expiry is weeks ahead, but it ends in an outage unless someone
 * rotates them; they only exist with `tls`). Left out: `support` and `deprecated` (true for
 * months: `check` reports them) and `quorum-critical` (a consequence of another node being down,
 * which alerts already).
 */
export const DEFAULT_WATCH_CHECKS = [
  'host-unreachable',
  'node-down',
  'not-clustered',
  'maintenance',
  'alarm',
  'partition',
  'no-majority',
  'unsynchronised',
  'listener',
  'vip',
  'certificate-expiry',
  'certificate-name',
  'certificate-trust',
] as const;

const ALL_CHECKS = [...CHECK_IDS, ...METRIC_CHECK_IDS] as const;

export const WatchedCluster = z.strictObject({
  /** Where alerts go (a channel ID the bot is a member of). */
  channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID like C012ABCDEF (not a #name)'),
  /** Seconds between two polls; each poll is one `check` plus one management API sample. */
  intervalSeconds: z.number().int().min(5, 'polls closer than 5 s would keep docker exec busy; use 5 or more').max(3600).default(30),
  /** Which findings alert (`check`'s ids, plus the threshold ones); default: DEFAULT_WATCH_CHECKS plus every configured threshold. */
  checks: z.array(z.enum(ALL_CHECKS)).min(1).optional(),
  thresholds: z
    .strictObject({
      queueDepth: z.number().int().positive().optional(),
      noConsumers: z.strictObject({ minMessages: z.number().int().min(1).default(1) }).optional(),
      publishDrop: z
        .strictObject({
          percent: z.number().min(1).max(100).default(80),
          windowSeconds: z.number().int().min(60).max(3600).default(600),
          minRate: z.number().min(0).default(1),
        })
        .optional(),
    })
    .prefault({}),
  /** Polls in a row that must find a problem before it is posted (damps one-poll blips). */
  raiseAfter: z.number().int().min(1).max(10).default(1),
  /** Polls in a row that must find nothing before recovery is posted (damps flapping). */
  clearAfter: z.number().int().min(1).max(10).default(2),
  /** A problem back within this long after a recovery reopens the same alert instead of posting a new one. */
  flapWindowSeconds: z.number().int().min(0).max(86_400).default(600),
  /** Attach a chart (rates and queue depth, last hour) to each new alert. */
  chart: z.boolean().default(true),
});
export type WatchedCluster = z.infer<typeof WatchedCluster>;

/** Checks across one watched cluster's fields (run by the bot's configuration rules, path relative to it). */
export function watchedClusterRules(w: WatchedCluster): Array<{ path: PropertyKey[]; message: string }> {
  const metric = new Set<string>(METRIC_CHECK_IDS);
  const limit = { 'queue-depth': w.thresholds.queueDepth, 'no-consumers': w.thresholds.noConsumers, 'publish-drop': w.thresholds.publishDrop } as Record<
    string,
    unknown
  >;
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  for (const [i, c] of (w.checks ?? []).entries()) {
    if (metric.has(c) && limit[c] === undefined) {
      out.push({
        path: ['checks', i],
        message: `"${c}" needs its threshold under thresholds (${c === 'queue-depth' ? 'queueDepth: 10000' : c === 'no-consumers' ? 'noConsumers: { minMessages: 1 }' : 'publishDrop: { percent: 80 }'})`,
      });
    }
  }
  return out;
}

export const WatchConfig = z.strictObject({
  /** Cluster name (as under `clusters:`) → how it is watched. A cluster not listed is not watched. */
  clusters: z.record(z.string(), WatchedCluster),
});
export type WatchConfig = z.infer<typeof WatchConfig>;

/** The checks that alert for one watched cluster. */
export function checksOf(w: WatchedCluster): ReadonlySet<string> {
  if (w.checks) return new Set(w.checks);
  const out = new Set<string>(DEFAULT_WATCH_CHECKS);
  if (w.thresholds.queueDepth !== undefined) out.add('queue-depth');
  if (w.thresholds.noConsumers) out.add('no-consumers');
  if (w.thresholds.publishDrop) out.add('publish-drop');
  return out;
}
