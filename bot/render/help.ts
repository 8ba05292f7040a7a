import type { types } from '@slack/bolt';
import type { CatalogEntry } from '../../ops/index.js';
import { escapeMrkdwn } from './limits.js';
import type { RenderedMessage } from './result-blocks.js';

type KnownBlock = types.KnownBlock;

/** `/rmq help`, generated from the action table so it never drifts from what the bot can do. */
export function helpMessage(command: string, actions: readonly CatalogEntry[], clusters: readonly string[], watching = false): RenderedMessage {
  const lines = [...actions]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => {
      const marks = [a.dangerous ? ':warning: asks for confirmation' : '', a.mutating && !a.dangerous ? ':pencil2: changes the cluster' : ''].filter(Boolean).join(' ');
      return `• \`${command} ${escapeMrkdwn(a.usage)}\` — ${escapeMrkdwn(a.summary)}${marks ? ` _(${marks})_` : ''}`;
    });
  // the watcher's own words, when it runs
  if (watching) lines.push(`• \`${command} alerts\` — the open alerts of the watched clusters`, `• \`${command} ack <alert>\` — silence an alert until it recovers (same as its Ack button)`);
  // Sections hold 3000 characters; split the list rather than cut it.
  const sections: KnownBlock[] = [];
  let chunk = '';
  for (const line of lines) {
    if (chunk.length + line.length + 1 > 2900) {
      sections.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk += (chunk ? '\n' : '') + line;
  }
  if (chunk) sections.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${command} <action> [cluster] [args]* — clusters: ${clusters.map((c) => `\`${c}\``).join(', ')}` } },
    ...sections,
  ];
  return { text: `${command} help: ${actions.map((a) => a.name).join(', ')}`, blocks };
}
