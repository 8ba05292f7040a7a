import type { types } from '@slack/bolt';
import { certificateLine, type CertificateFact, type StatusData } from '../../ops/index.js';
import { joinMd, md, mrkdwn, shortenMd, type SlackText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

const UP = md`:large_green_circle:`;
const DOWN = md`:red_circle:`;
const WARN = md`:large_yellow_circle:`;

function nodeLine(n: StatusData['nodes'][number]): SlackText {
  const mark = !n.running ? DOWN : n.alarms.length > 0 || n.maintenance ? WARN : UP;
  const parts: SlackText[] = [n.running ? md`up` : md`*DOWN*`, ...[n.type, n.version].filter((p): p is string => !!p).map((p) => md`${p}`)];
  if (n.maintenance) parts.push(md`maintenance`);
  if (n.alarms.length > 0) parts.push(md`alarms: ${n.alarms.join(', ')}`);
  return md`${mark} \`${n.name}\`  ${joinMd(parts, ' · ')}`;
}

/** Red when a client would refuse it (expired, not signed by the CA, wrong names, unreadable), yellow when it ends soon. */
function certificateMark(c: CertificateFact): SlackText {
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
    const head = i === 0 ? md`*Nodes* ${up}/${s.nodes.length} up${s.version ? md` · RabbitMQ ${s.version}` : ''}\n` : md``;
    blocks.push({ type: 'section', text: mrkdwn(md`${head}${joinMd(nodeLines.slice(i, i + 40), '\n')}`) });
  }
  const facts: SlackText[] = [];
  facts.push(s.partitions.length === 0 ? md`${UP} no partitions` : md`${DOWN} *partitions:* ${s.partitions.join('; ')}`);
  if (s.queues) {
    const q = s.queues;
    facts.push(q.unhealthy.length === 0 ? md`${UP} queues: ${q.kind} healthy (${q.total})` : md`${WARN} queues (${q.kind}): ${q.unhealthy.join(', ')}`);
  }
  if (s.loadBalancer) {
    for (const l of s.loadBalancer.listeners) {
      facts.push(md`${l.reachable ? UP : DOWN} LB ${l.instance} ${l.protocol} :${l.port} ${l.reachable ? md`reachable` : md`*unreachable*`}`);
    }
    if (s.loadBalancer.vipHolder !== undefined)
      facts.push(s.loadBalancer.vipHolder ? md`:pushpin: VIP held by \`${s.loadBalancer.vipHolder}\`` : md`${DOWN} *no LB holds the VIP*`);
  }
  // certificates are public: the line says what status prints, nothing secret
  for (const c of s.certificates ?? []) facts.push(md`${certificateMark(c)} ${certificateLine(c)}`);
  blocks.push({ type: 'section', text: mrkdwn(shortenMd(joinMd(facts, '\n'), 2990)) });
  blocks.push({ type: 'context', elements: [mrkdwn(md`source: ${s.source}`)] });
  return blocks;
}
