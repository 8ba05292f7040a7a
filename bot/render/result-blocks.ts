import type { types } from '@slack/bolt';
import type { ActionResult, ProgressStep } from '../../ops/index.js';
import { escapeMrkdwn, exceedsLimits, shorten } from './limits.js';

type KnownBlock = types.KnownBlock;

/** A message ready to post: blocks, the notification text, and the full output when it must be a file. */
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

export function commandLabel(l: Pick<RunLabel, 'action' | 'argv' | 'cluster'>): string {
  return ['/rmq', l.action, l.cluster, ...l.argv].join(' ');
}

export function whoRanWhat(l: RunLabel, tail = ''): string {
  return `<@${l.userId}> ran \`${escapeMrkdwn(commandLabel(l))}\`${tail}`;
}

const STEP_MARK: Record<ProgressStep['state'], string> = { running: ':hourglass_flowing_sand:', done: ':white_check_mark:', failed: ':x:', skipped: ':heavy_minus_sign:' };

/** The live message of a running action: one line per step, updated in place. */
export function progressMessage(label: RunLabel, steps: readonly ProgressStep[]): RenderedMessage {
  const lines = steps.map((s) => `${STEP_MARK[s.state]} ${escapeMrkdwn(s.title)}${s.detail ? ` — ${escapeMrkdwn(s.detail)}` : ''}`);
  const body = lines.length > 0 ? lines.join('\n') : ':hourglass_flowing_sand: starting…';
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${whoRanWhat(label)} — running` }] },
    // A long step list keeps the last lines: the message is a live view, the final result has it all.
    { type: 'section', text: { type: 'mrkdwn', text: body.length > 2900 ? `…\n${body.slice(-2900)}` : body } },
  ];
  return { text: `Running ${escapeMrkdwn(commandLabel(label))}…`, blocks };
}

function codeBlock(text: string): string {
  // Triple backticks inside the output would end the code block early.
  return '```' + escapeMrkdwn(text.replace(/```/g, '`\u200b``')) + '```';
}

/**
 * Final result as blocks: mark + headline, who ran what, then either the rich blocks a renderer
 * made from `data` or the plain text in a code block. Past the limits → file.
 */
export function resultMessage(label: RunLabel, result: ActionResult, durationMs: number, richBlocks?: KnownBlock[]): RenderedMessage {
  const mark = result.ok ? ':white_check_mark:' : ':x:';
  const head: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${mark} *${escapeMrkdwn(shorten(result.headline, 2900))}*` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: whoRanWhat(label, ` · ${(durationMs / 1000).toFixed(1)} s`) }] },
  ];
  const body: KnownBlock[] = richBlocks ?? (result.text.trim() ? [{ type: 'section', text: { type: 'mrkdwn', text: codeBlock(result.text) } }] : []);
  // the fallback text is mrkdwn too: a pattern like <!channel> in it would notify the channel
  const text = `${result.ok ? 'OK' : 'FAILED'}: ${escapeMrkdwn(shorten(result.headline, 200))} (${escapeMrkdwn(commandLabel(label))})`;
  const blocks = [...head, ...body];
  if (!exceedsLimits(blocks)) return { text, blocks };
  const lines = result.text.split('\n').length;
  return {
    text,
    blocks: [...head, { type: 'context', elements: [{ type: 'mrkdwn', text: `:page_facing_up: The full output (${lines} lines) is too long for a message; it is attached as a file.` }] }],
    file: { filename: `rmq-${label.action}-${label.cluster}.txt`, title: `${commandLabel(label)} — full output`, content: `${result.headline}\n\n${result.text}\n` },
  };
}

/** A short message with one line, e.g. a denial or a user error. `text` is mrkdwn: callers escape what users typed. */
export function noticeMessage(emoji: string, text: string): RenderedMessage {
  return { text: shorten(text, 2900), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${emoji} ${shorten(text, 2900)}` } }] };
}
