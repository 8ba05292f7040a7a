import type { types } from '@slack/bolt';
import { certificateLine, moreQueuesLine, queueCountsLine, QUEUES_SHOWN, type CertificateFact, type StatusData } from '../../ops/index.js';
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

/**
 * Queue replication: healthy in one line; a few queues behind named in one line, as always; many
 * (a node down under 10,000 quorum queues) counted per state, with the worst QUEUES_SHOWN by name
 * and how many more, since a Slack section holds 3000 characters and a person reads ten lines.
 */
function queueFact(q: NonNullable<StatusData['queues']>): SlackText {
  if (q.unhealthy.length === 0) return md`${UP} queues: ${q.kind} healthy (${q.total})`;
  if (q.unhealthy.length <= QUEUES_SHOWN) return md`${WARN} queues (${q.kind}): ${q.unhealthy.join(', ')}`;
  const worst = q.unhealthy.slice(0, QUEUES_SHOWN).map((u) => md`    • ${u}`);
  const more = moreQueuesLine(q.unhealthy.length - QUEUES_SHOWN, 'queues behind', '`rmq-compose status --json` lists every one');
  return md`${WARN} queues (${q.kind}): ${queueCountsLine(q)}\n    worst ${QUEUES_SHOWN}:\n${joinMd(worst, '\n')}\n    ${more}`;
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
  if (s.queues) facts.push(queueFact(s.queues));
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
