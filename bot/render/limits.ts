import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

/** Slack's Block Kit limits (docs.slack.dev/reference/block-kit/blocks). */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionField: 2000,
  headerText: 150,
  contextElementText: 3000,
  /** chat.postMessage `text`: Slack truncates past 40k; keep the fallback well below. */
  messageText: 3000,
} as const;

function textOf(value: unknown): string {
  return value && typeof value === 'object' && 'text' in value && typeof value.text === 'string' ? value.text : '';
}

/** True when Slack would reject or cut these blocks; the caller then uploads the output as a file. */
export function exceedsLimits(blocks: readonly KnownBlock[]): boolean {
  if (blocks.length > LIMITS.blocksPerMessage) return true;
  for (const block of blocks) {
    if (block.type === 'section') {
      if (textOf(block.text).length > LIMITS.sectionText) return true;
      if ((block.fields ?? []).some((f) => f.text.length > LIMITS.sectionField)) return true;
    }
    if (block.type === 'header' && block.text.text.length > LIMITS.headerText) return true;
    if (block.type === 'context' && block.elements.some((e) => textOf(e).length > LIMITS.contextElementText)) return true;
  }
  return false;
}

/**
 * A plain string cut to `max` characters, before it goes into Slack text (md) or a plain_text
 * label; Slack text itself is cut with shortenMd (slack-text.ts), which never splits an escape.
 */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
