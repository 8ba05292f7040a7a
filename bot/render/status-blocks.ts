import type { types } from '@slack/bolt';
import { z } from 'zod';
import { escapeMrkdwn } from './limits.js';

type KnownBlock = types.KnownBlock;

/**
 * What the status renderer reads from `status`'s data. Lenient on purpose (declared here, where
 * it is used): extra fields are ignored, and data that does not match falls back to the text.
 */
const NodeView = z.object({
  name: z.string(),
  running: z.boolean(),
  type: z.enum(['disc', 'ram']).optional(),
  version: z.string().optional(),
  alarms: z.array(z.string()).default([]),
  maintenance: z.boolean().optional(),
});
export const StatusView = z.object({
  cluster: z.string().optional(),
  version: z.string().optional(),
  nodes: z.array(NodeView).min(1),
  partitions: z.array(z.string()).default([]),
  queues: z
    .object({
      kind: z.string().optional(),
      total: z.number().optional(),
      unhealthy: z.array(z.string()).default([]),
    })
    .optional(),
  loadBalancer: z
    .object({
      listeners: z.array(z.object({ instance: z.string().optional(), protocol: z.string(), port: z.number(), reachable: z.boolean() })).default([]),
      vipHolder: z.string().nullable().optional(),
    })
    .optional(),
  source: z.string().optional(),
});
export type StatusView = z.infer<typeof StatusView>;

const UP = ':large_green_circle:';
const DOWN = ':red_circle:';
const WARN = ':large_yellow_circle:';

function nodeLine(n: StatusView['nodes'][number]): string {
  const mark = !n.running ? DOWN : n.alarms.length > 0 || n.maintenance ? WARN : UP;
  const parts = [n.running ? 'up' : '*DOWN*', n.type, n.version].filter(Boolean);
  if (n.maintenance) parts.push('maintenance');
  if (n.alarms.length > 0) parts.push(`alarms: ${n.alarms.map(escapeMrkdwn).join(', ')}`);
  return `${mark} \`${escapeMrkdwn(n.name)}\`  ${parts.join(' · ')}`;
}

/** A node table with up/down marks, then partitions, queues and the load balancer. */
export function statusBlocks(data: unknown): KnownBlock[] | undefined {
  const parsed = StatusView.safeParse(data);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  const up = s.nodes.filter((n) => n.running).length;
  const blocks: KnownBlock[] = [];
  const nodeLines = s.nodes.map(nodeLine);
  // One section per ~40 nodes keeps each under 3000 characters.
  for (let i = 0; i < nodeLines.length; i += 40) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${i === 0 ? `*Nodes* ${up}/${s.nodes.length} up${s.version ? ` · RabbitMQ ${escapeMrkdwn(s.version)}` : ''}\n` : ''}${nodeLines.slice(i, i + 40).join('\n')}` } });
  }
  const facts: string[] = [];
  facts.push(s.partitions.length === 0 ? `${UP} no partitions` : `${DOWN} *partitions:* ${s.partitions.map(escapeMrkdwn).join('; ')}`);
  if (s.queues) {
    const q = s.queues;
    const what = q.kind ? escapeMrkdwn(q.kind) : 'replication';
    facts.push(q.unhealthy.length === 0 ? `${UP} queues: ${what} healthy${q.total !== undefined ? ` (${q.total})` : ''}` : `${WARN} queues (${what}): ${q.unhealthy.map(escapeMrkdwn).join(', ')}`);
  }
  if (s.loadBalancer) {
    for (const l of s.loadBalancer.listeners) {
      facts.push(`${l.reachable ? UP : DOWN} LB ${l.instance ? `${escapeMrkdwn(l.instance)} ` : ''}${escapeMrkdwn(l.protocol)} :${l.port} ${l.reachable ? 'reachable' : '*unreachable*'}`);
    }
    if (s.loadBalancer.vipHolder !== undefined) facts.push(s.loadBalancer.vipHolder ? `:pushpin: VIP held by \`${escapeMrkdwn(s.loadBalancer.vipHolder)}\`` : `${DOWN} *no LB holds the VIP*`);
  }
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: facts.join('\n').slice(0, 2990) } });
  if (s.source) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `source: ${escapeMrkdwn(s.source)}` }] });
  return blocks;
}
