import { z } from 'zod';
import type { ClusterHandle } from '../cluster-handle.js';
import type { ClusterSecrets } from '../cluster-secrets.js';

import type { HttpGetJson } from '../net/http-get-json.js';

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

const NodeList = z.array(z.string()).nullish().transform((v) => v ?? []);
const ApiQueue = z.object({
  name: z.string(),
  type: z.string().default('classic'),
  policy: z.string().nullish(),
  slave_nodes: NodeList,
  synchronised_slave_nodes: NodeList,
  members: NodeList,
  online: NodeList,
});
export type ApiQueue = z.infer<typeof ApiQueue>;

const Overview = z.object({ rabbitmq_version: z.string().optional() });

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

  /** Base URLs to try, in manifest order; empty when the plugin is off or nothing is published. */
  candidates(): string[] {
    const m = this.cluster.manifest;
    if (!m.rabbitmq.plugins.includes('rabbitmq_management')) return [];
    const urls: string[] = [];
    for (const node of m.nodes) {
      const host = m.hosts.find((h) => h.name === node.host);
      const port = node.ports.management;
      // a machine of a `hosts:` layout publishes on its own address only, even to itself
      if (port && host?.address) urls.push(`http://${host.address}:${port}`);
      else if (port && host && !host.docker) urls.push(`http://127.0.0.1:${port}`);
      else if (m.hosts.length === 1 && node.address && !host?.docker) urls.push(`http://${node.address}:15672`);
    }
    return [...new Set(urls)];
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
    const columns = 'name,type,policy,slave_nodes,synchronised_slave_nodes,members,online';
    return z.array(ApiQueue).parse(await this.get(base, `/api/queues/%2F?columns=${columns}`));
  }

  /**
   * Messages (ready + unacknowledged) per queue of one vhost, from the statistics the nodes emit
   * every few seconds: unlike `list_queues`, no question reaches the queue processes, so a busy
   * queue (one a shovel is draining) cannot make it time out.
   */
  async queueDepths(base: string, vhost: string): Promise<Map<string, number | undefined>> {
    const rows = z.array(z.object({ name: z.string(), messages: z.number().nullish() })).parse(await this.get(base, `/api/queues/${encodeURIComponent(vhost)}?columns=name,messages`));
    // no figure is not zero: a queue whose statistics have not come yet (or are switched off) is unknown
    return new Map(rows.map((r) => [r.name, r.messages ?? undefined]));
  }

  private get(base: string, path: string): Promise<unknown> {
    return this.http(`${base}${path}`, { user: this.secrets.user ?? '', password: this.secrets.password ?? '' }, this.timeoutMs);
  }
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error.cause as { code?: string } | undefined)?.code;
    return error.name === 'TimeoutError' ? 'timed out' : cause ?? error.message.slice(0, 80);
  }
  return 'failed';
}
