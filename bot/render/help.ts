import type { types } from '@slack/bolt';
import type { CatalogEntry } from '../../ops/index.js';
import type { RenderedMessage } from './result-blocks.js';
import { joinMd, md, mrkdwn, type SlackText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

/**
 * `/rmq help`, generated from the action table so it never drifts from what the bot can do.
 * `clusters` are the ones this person may read: a name they may not is never shown.
 */
export function helpMessage(command: string, actions: readonly CatalogEntry[], clusters: readonly string[], watching = false): RenderedMessage {
  const lines = [...actions]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => {
      const marks = [a.dangerous ? ':warning: asks for confirmation' : '', a.mutating && !a.dangerous ? ':pencil2: changes the cluster' : '']
        .filter(Boolean)
        .join(' ');
      return md`• \`${command} ${a.usage}\` — ${a.summary}${marks ? md` _(${marks})_` : ''}`;
    });
  // the watcher's own words, when it runs
  if (watching)
    lines.push(
      md`• \`${command} alerts\` — the open alerts of the watched clusters`,
      md`• \`${command} ack ${'<alert>'}\` — silence an alert until it recovers (same as its Ack button)`,
    );
  // Sections hold 3000 characters; split the list rather than cut it.
  const sections: KnownBlock[] = [];
  let chunk: SlackText[] = [];
  const flush = () => chunk.length && sections.push({ type: 'section', text: mrkdwn(joinMd(chunk, '\n')) });
  for (const line of lines) {
    if (joinMd([...chunk, line], '\n').markup.length > 2900) {
      flush();
      chunk = [];
    }
    chunk.push(line);
  }
  flush();
  const names = clusters.length
    ? joinMd(
        clusters.map((c) => md`\`${c}\``),
        ', ',
      )
    : md`none you may read`;
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(md`*${command} ${'<action>'} [cluster] [args]* — clusters: ${names}`) }, ...sections];
  return { text: md`${command} help: ${actions.map((a) => a.name).join(', ')}`.markup, blocks };
}
