import type { types } from '@slack/bolt';
import { certificateLine, type CertificateFact, type StatusData } from '../../ops/index.js';
import { escapeMrkdwn } from './limits.js';

type KnownBlock = types.KnownBlock;

const UP = ':large_green_circle:';
const DOWN = ':red_circle:';
const WARN = ':large_yellow_circle:';

function nodeLine(n: StatusData['nodes'][number]): string {
  const mark = !n.running ? DOWN : n.alarms.length > 0 || n.maintenance ? WARN : UP;
  const parts = [n.running ? 'up' : '*DOWN*', n.type, n.version].filter(Boolean);
  if (n.maintenance) parts.push('maintenance');
  if (n.alarms.length > 0) parts.push(`alarms: ${n.alarms.map(escapeMrkdwn).join(', ')}`);
  return `${mark} \`${escapeMrkdwn(n.name)}\`  ${parts.join(' · ')}`;
}

/** Red when a client would refuse it (expired, not signed by the CA, wrong names, unreadable), yellow when it ends soon. */
function certificateMark(c: CertificateFact): string {
  if (c.error !== undefined) return c.unreachable ? WARN : DOWN;
  if (c.state === 'expired' || c.state === 'critical' || c.trusted === false || c.nameMatches === false) return DOWN;
  return c.state === 'warn' ? WARN : UP;
}

/** A node table with up/down marks, then partitions, queues, the load balancer and, with TLS, the certificates. */
export function statusBlocks(s: StatusData): KnownBlock[] {
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
    const what = escapeMrkdwn(q.kind);
    facts.push(q.unhealthy.length === 0 ? `${UP} queues: ${what} healthy (${q.total})` : `${WARN} queues (${what}): ${q.unhealthy.map(escapeMrkdwn).join(', ')}`);
  }
  if (s.loadBalancer) {
    for (const l of s.loadBalancer.listeners) {
      facts.push(`${l.reachable ? UP : DOWN} LB ${escapeMrkdwn(l.instance)} ${escapeMrkdwn(l.protocol)} :${l.port} ${l.reachable ? 'reachable' : '*unreachable*'}`);
    }
    if (s.loadBalancer.vipHolder !== undefined) facts.push(s.loadBalancer.vipHolder ? `:pushpin: VIP held by \`${escapeMrkdwn(s.loadBalancer.vipHolder)}\`` : `${DOWN} *no LB holds the VIP*`);
  }
  // certificates are public: the line says what status prints, nothing secret
  for (const c of s.certificates ?? []) facts.push(`${certificateMark(c)} ${escapeMrkdwn(certificateLine(c))}`);
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: facts.join('\n').slice(0, 2990) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `source: ${escapeMrkdwn(s.source)}` }] });
  return blocks;
}
