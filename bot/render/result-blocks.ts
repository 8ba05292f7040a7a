import type { types } from '@slack/bolt';
import type { ActionResult, ProgressStep } from '../../ops/index.js';
import { exceedsLimits, shorten } from './limits.js';
import { joinMd, md, mention, mrkdwn, shortenMd, type SlackText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

/**
 * A message ready to post: blocks, the notification text, and the full output when it must be a
 * file. `text`, the blocks' mrkdwn and the file's title are Slack text: made with md() only.
 */
export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
  /** Set when the output does not fit Slack's limits; the caller uploads it instead of cutting it. */
  file?: OutgoingFile;
}

/** A file to upload with a message: text output too big for blocks, or a PNG chart. */
export interface OutgoingFile {
  filename: string;
  /** Text (redacted like the message) or bytes (a picture: nothing in it to redact). */
  content: string | Buffer;
  title: string;
}

export interface RunLabel {
  userId: string;
  action: string;
  argv: readonly string[];
  cluster: string;
}

/** The command as typed, in plain words (a value for md, or a file's title). */
export function commandLabel(l: Pick<RunLabel, 'action' | 'argv' | 'cluster'>): string {
  return ['/rmq', l.action, l.cluster, ...l.argv].join(' ');
}

export function whoRanWhat(l: RunLabel, tail: SlackText = md``): SlackText {
  return md`${mention(l.userId)} ran \`${commandLabel(l)}\`${tail}`;
}

const STEP_MARK: Record<ProgressStep['state'], SlackText> = {
  running: md`:hourglass_flowing_sand:`,
  done: md`:white_check_mark:`,
  failed: md`:x:`,
  skipped: md`:heavy_minus_sign:`,
};

/** The live message of a running action: one line per step, updated in place. */
export function progressMessage(label: RunLabel, steps: readonly ProgressStep[]): RenderedMessage {
  const lines = steps.map((s) => md`${STEP_MARK[s.state]} ${s.title}${s.detail ? md` — ${s.detail}` : ''}`);
  // A long step list keeps the last whole lines: the message is a live view, the final result has it all.
  let shown = lines;
  while (shown.length > 1 && joinMd(shown, '\n').markup.length > 2900) shown = shown.slice(1);
  const body = lines.length === 0 ? md`:hourglass_flowing_sand: starting…` : shown.length < lines.length ? md`…\n${joinMd(shown, '\n')}` : joinMd(shown, '\n');
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [mrkdwn(md`${whoRanWhat(label)} — running`)] },
    { type: 'section', text: mrkdwn(shortenMd(body, 2990)) },
  ];
  return { text: md`Running ${commandLabel(label)}…`.markup, blocks };
}

function codeBlock(text: string): SlackText {
  // Triple backticks inside the output would end the code block early.
  return md`\`\`\`${text.replace(/```/g, '`\u200b``')}\`\`\``;
}

/**
 * Final result as blocks: mark + headline, who ran what, then either the rich blocks a renderer
 * made from `data` or the plain text in a code block. Past the limits → file.
 */
export function resultMessage(label: RunLabel, result: ActionResult, durationMs: number, richBlocks?: KnownBlock[]): RenderedMessage {
  const mark = result.ok ? md`:white_check_mark:` : md`:x:`;
  const head: KnownBlock[] = [
    { type: 'section', text: mrkdwn(md`${mark} *${shorten(result.headline, 2900)}*`) },
    { type: 'context', elements: [mrkdwn(whoRanWhat(label, md` · ${(durationMs / 1000).toFixed(1)} s`))] },
  ];
  const body: KnownBlock[] = richBlocks ?? (result.text.trim() ? [{ type: 'section', text: mrkdwn(codeBlock(result.text)) }] : []);
  // the fallback text is Slack text too: a pattern like <!channel> in it would notify the channel
  const text = md`${result.ok ? 'OK' : 'FAILED'}: ${shorten(result.headline, 200)} (${commandLabel(label)})`.markup;
  const blocks = [...head, ...body];
  if (!exceedsLimits(blocks)) return { text, blocks };
  const lines = result.text.split('\n').length;
  return {
    text,
    blocks: [
      ...head,
      { type: 'context', elements: [mrkdwn(md`:page_facing_up: The full output (${lines} lines) is too long for a message; it is attached as a file.`)] },
    ],
    // a file's title is Slack text as well; its content is a plain file, shown as it is
    file: {
      filename: `rmq-${label.action}-${label.cluster}.txt`,
      title: md`${commandLabel(label)} — full output`.markup,
      content: `${result.headline}\n\n${result.text}\n`,
    },
  };
}

/** A short message with one line, e.g. a denial or a user error. */
export function noticeMessage(emoji: string, text: SlackText): RenderedMessage {
  const short = shortenMd(text, 2900);
  return { text: short.markup, blocks: [{ type: 'section', text: mrkdwn(md`${emoji} ${short}`) }] };
}
