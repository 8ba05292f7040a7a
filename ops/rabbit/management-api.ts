import { z } from 'zod';
import { CONTAINER_PORTS } from '../../contract/ports.js';
import type { ClusterHandle } from '../cluster-handle.js';
import type { ClusterSecrets } from '../cluster-secrets.js';
import type { HttpGetJson, HttpsTrust } from '../net/http-get-json.js';
import { publishedEndpoint } from '../net/node-endpoint.js';
import { readClusterCa } from '../tls/cluster-ca.js';
import type { FlowHistory, MetricSample } from '../metrics/metric-sample.js';
import { ratesFromCounters } from '../metrics/rates.js';

export type { HttpGetJson };

const ApiNode = z.object({
  name: z.string(),
  type: z.enum(['disc', 'ram']).optional(),
  running: z.boolean(),
  mem_alarm: z.boolean().optional(),
  disk_free_alarm: z.boolean().optional(),
  partitions: z.array(z.string()).default([]),
  // 3.13+; 3.10 has no such field (maintenance then comes from cluster_status)
  being_drained: z.boolean().optional(),
  // absent when management stats are off; the "rabbit" entry carries the node's version
  applications: z.array(z.object({ name: z.string(), version: z.string() })).optional(),
});
export type ApiNode = z.infer<typeof ApiNode>;

const NodeList = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);
const ApiQueue = z.object({
  name: z.string(),
  type: z.string().default('classic'),
  policy: z.string().nullish(),
  slave_nodes: NodeList,
  synchronised_slave_nodes: NodeList,
  members: NodeList,
  online: NodeList,
  // quorum queues only: the node that leads it
  leader: z.string().nullish(),
});
export type ApiQueue = z.infer<typeof ApiQueue>;

const Overview = z.object({ rabbitmq_version: z.string().optional() });

const Samples = z.array(z.object({ sample: z.number(), timestamp: z.number() })).default([]);
const Counter = z.object({ samples: Samples }).optional();
/** /api/overview's counters and queue totals; every field may be missing (statistics off, no traffic yet). */
const OverviewFlow = z.object({
  message_stats: z
    .object({ publish: z.number().optional(), deliver_get: z.number().optional(), publish_details: Counter, deliver_get_details: Counter })
    .partial()
    .optional(),
  queue_totals: z
    .object({
      messages_ready: z.number().optional(),
      messages_unacknowledged: z.number().optional(),
      messages_ready_details: Counter,
      messages_unacknowledged_details: Counter,
    })
    .partial()
    .optional(),
});
const QueueStatRow = z.object({ vhost: z.string(), name: z.string(), messages: z.number().nullish(), consumers: z.number().nullish() });

/**
 * The management HTTP API for quick reads, when the plugin is on and a port is reachable from
 * here. Credentials come from .env and go only into the Authorization header; failures are
 * reported without them so callers can say why they fell back to rabbitmqctl.
 */
export class ManagementApi {
  constructor(
    private readonly cluster: ClusterHandle,
    private readonly secrets: ClusterSecrets,
    private readonly http: HttpGetJson,
    private readonly timeoutMs = 2_000,
  ) {}

  private ca: Promise<string> | undefined;

  /** Base URLs to try, in manifest order; empty when the plugin is off or nothing is published. */
  candidates(): string[] {
    return [...this.targets().keys()];
  }

  /**
   * Base URL → the node answering there (its name is what an HTTPS certificate must carry).
   * With `tls`, a published https port comes first; plain http only while non-TLS listeners are
   * allowed. A single local machine may also reach a node on its container address.
   */
  private targets(): Map<string, string> {
    const m = this.cluster.manifest;
    const out = new Map<string, string>();
    if (!m.rabbitmq.plugins.includes('rabbitmq_management')) return out;
    const plainAllowed = !m.tls?.disableNonTls;
    for (const node of m.nodes) {
      const host = m.hosts.find((h) => h.name === node.host);
      const https = m.tls ? publishedEndpoint(m, node, 'https') : undefined;
      const plain = plainAllowed ? publishedEndpoint(m, node, 'management') : undefined;
      const url = https ? `https://${https.address}:${https.port}` : plain ? `http://${plain.address}:${plain.port}` : undefined;
      if (url) {
        if (!out.has(url)) out.set(url, node.name);
      } else if (!node.ports.management && !(m.tls && node.ports.https) && m.hosts.length === 1 && node.address && !host?.docker) {
        const direct = plainAllowed ? `http://${node.address}:${CONTAINER_PORTS.management}` : `https://${node.address}:${CONTAINER_PORTS.https}`;
        if (!out.has(direct)) out.set(direct, node.name);
      }
    }
    return out;
  }

  /** The first candidate that answers /api/overview, or why none did. */
  async connect(): Promise<{ base: string; version: string | undefined } | { unavailable: string }> {
    const urls = this.candidates();
    if (urls.length === 0) return { unavailable: 'management plugin off or no management port published' };
    if (!this.secrets.user || !this.secrets.password) return { unavailable: 'no credentials in .env' };
    const reasons: string[] = [];
    for (const base of urls) {
      try {
        const overview = Overview.parse(await this.get(base, '/api/overview'));
        return { base, version: overview.rabbitmq_version };
      } catch (error) {
        reasons.push(`${base}: ${reason(error)}`);
      }
    }
    return { unavailable: reasons.join('; ') };
  }

  async nodes(base: string): Promise<ApiNode[]> {
    const columns = 'name,type,running,mem_alarm,disk_free_alarm,partitions,being_drained,applications';
    return z.array(ApiNode).parse(await this.get(base, `/api/nodes?columns=${columns}`));
  }

  async queues(base: string): Promise<ApiQueue[]> {
    const columns = 'name,type,policy,slave_nodes,synchronised_slave_nodes,members,online,leader';
    return z.array(ApiQueue).parse(await this.get(base, `/api/queues/%2F?columns=${columns}`));
  }

  /**
   * Messages (ready + unacknowledged) per queue of every vhost in one request (`vhost\u0000name` →
   * count), from the statistics the nodes emit every few seconds: unlike `list_queues`, no
   * question reaches the queue processes, so a busy queue (one a shovel is draining) cannot make
   * it time out. No figure is not zero: a queue whose statistics have not come yet (or are
   * switched off) is undefined.
   */
  async allQueueDepths(base: string): Promise<Map<string, number | undefined>> {
    const rows = z
      .array(z.object({ vhost: z.string(), name: z.string(), messages: z.number().nullish() }))
      .parse(await this.get(base, '/api/queues?columns=vhost,name,messages'));
    return new Map(rows.map((r) => [`${r.vhost}\u0000${r.name}`, r.messages ?? undefined]));
  }

  /** One watcher sample: counters and queue totals from /api/overview, depth and consumers per queue. */
  async sample(base: string, at: number): Promise<MetricSample> {
    const [overview, queues] = await Promise.all([this.get(base, '/api/overview'), this.get(base, '/api/queues?columns=vhost,name,messages,consumers')]);
    const o = OverviewFlow.parse(overview);
    return {
      at,
      published: o.message_stats?.publish,
      delivered: o.message_stats?.deliver_get,
      ready: o.queue_totals?.messages_ready,
      unacked: o.queue_totals?.messages_unacknowledged,
      queues: z
        .array(QueueStatRow)
        .parse(queues)
        .map((q) => ({ vhost: q.vhost, name: q.name, messages: q.messages ?? undefined, consumers: q.consumers ?? undefined })),
    };
  }

  /**
   * The last `ageSeconds` of message rates and queue totals from the samples the management
   * plugin keeps (by default an hour at one per minute), oldest first.
   */
  async flowHistory(base: string, ageSeconds = 3_600, stepSeconds = 60): Promise<FlowHistory> {
    const q = `lengths_age=${ageSeconds}&lengths_incr=${stepSeconds}&msg_rates_age=${ageSeconds}&msg_rates_incr=${stepSeconds}`;
    const o = OverviewFlow.parse(await this.get(base, `/api/overview?${q}`));
    const series = (c: z.infer<typeof Counter>) => [...(c?.samples ?? [])].map((x) => ({ t: x.timestamp, v: x.sample })).sort((a, b) => a.t - b.t);
    const ready = series(o.queue_totals?.messages_ready_details);
    const unacked = series(o.queue_totals?.messages_unacknowledged_details);
    const publishRate = ratesFromCounters(series(o.message_stats?.publish_details));
    const deliverRate = ratesFromCounters(series(o.message_stats?.deliver_get_details));
    const all = [...ready, ...unacked, ...publishRate, ...deliverRate].map((p) => p.t);
    return { from: all.length ? Math.min(...all) : 0, to: all.length ? Math.max(...all) : 0, publishRate, deliverRate, ready, unacked };
  }

  /**
   * Removes a runtime parameter (a dynamic shovel is one: component `shovel`). One HTTP request
   * instead of a `rabbitmqctl clear_parameter`, which boots a CLI node each time: 300 shovels
   * took minutes that way. Already gone (404) is fine.
   */
  async deleteParameter(base: string, component: string, vhost: string, name: string): Promise<void> {
    const path = `/api/parameters/${encodeURIComponent(component)}/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`;
    try {
      await this.get(base, path, 'DELETE');
    } catch (error) {
      if ((error as { code?: string }).code !== 'HTTP_404') throw error;
    }
  }

  private async get(base: string, path: string, method: 'GET' | 'DELETE' = 'GET'): Promise<unknown> {
    const auth = { user: this.secrets.user ?? '', password: this.secrets.password ?? '' };
    const trust = base.startsWith('https:') ? await this.trust(base) : undefined;
    // a GET is asked as it always was (the fakes of the tests see the same call)
    if (method === 'GET') return trust ? this.http(`${base}${path}`, auth, this.timeoutMs, trust) : this.http(`${base}${path}`, auth, this.timeoutMs);
    return this.http(`${base}${path}`, auth, this.timeoutMs, trust, method);
  }

  /** The cluster CA (read once) and the node name the certificate at `base` must carry. */
  private async trust(base: string): Promise<HttpsTrust> {
    this.ca ??= readClusterCa(this.cluster).then((pem) => pem ?? '');
    return { ca: await this.ca, servername: this.targets().get(base) ?? new URL(base).hostname };
  }
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error.cause as { code?: string } | undefined)?.code;
    return error.name === 'TimeoutError' ? 'timed out' : (cause ?? error.message.slice(0, 80));
  }
  return 'failed';
}
