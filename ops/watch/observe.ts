import { checkCluster, type CheckData } from '../health/check-cluster.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { clusterServices, type OpsTools } from '../ops-tools.js';
import type { MetricSample } from '../metrics/metric-sample.js';

export interface ObserveOptions {
  signal?: AbortSignal;
  /**
   * Ask every running node what only it knows (quorum-critical, deprecated features in use): one
   * docker exec per node, most of a poll's cost. Default true; the watcher asks only when its
   * checks include those findings.
   */
  askNodes?: boolean;
}

/** One poll of the bot's watcher. */
export interface Observation {
  at: number;
  durationMs: number;
  /** `check`'s verdict, findings and the status facts they were judged from. */
  check: CheckData;
  /** Counters and queue depths, when the management API answered. */
  sample?: MetricSample;
  /** Why there is no sample (plugin off, no port published, no answer). */
  sampleMissing?: string;
  /** Not one machine of the cluster answered: nothing is known, so nothing is judged. */
  unreachable?: string;
}

/**
 * What `check` asks, plus a metrics sample, for the watcher. Read-only and quiet: no lock (a
 * poll must never make a runbook action wait) and no audit line (a poll every 30 s would bury
 * what people did). Throws when the cluster cannot be asked at all (folder gone, engine down).
 */
export async function observeCluster(cluster: ClusterHandle, tools: Partial<OpsTools> | undefined, options: ObserveOptions = {}): Promise<Observation> {
  const { signal } = options;
  const s = await clusterServices(cluster, tools);
  const at = s.tools.now();
  const ctx = {
    cluster,
    actor: { via: 'watcher' as const, id: 'watcher' },
    progress: () => undefined,
    ...(signal ? { signal } : {}),
    ...(tools ? { tools } : {}),
  };
  const check = await checkCluster(ctx, s, { askNodes: options.askNodes ?? true });
  const hosts = cluster.manifest.hosts.length;
  const cutOff = check.status.unreachableHosts ?? [];
  if (hosts > 0 && cutOff.length >= hosts) {
    return { at, durationMs: s.tools.now() - at, check, unreachable: cutOff.map((h) => `${h.host}: ${h.reason}`).join('; ') };
  }
  const api = check.status.nodes.some((n) => n.running) ? await s.api.connect() : { unavailable: 'no node is running' };
  let sample: MetricSample | undefined;
  let sampleMissing: string | undefined;
  if ('base' in api)
    sample = await s.api
      .sample(api.base, at)
      .catch((error: unknown) => ((sampleMissing = `management API: ${error instanceof Error ? error.message.slice(0, 120) : 'failed'}`), undefined));
  else sampleMissing = api.unavailable;
  return { at, durationMs: s.tools.now() - at, check, ...(sample ? { sample } : {}), ...(sampleMissing ? { sampleMissing } : {}) };
}
