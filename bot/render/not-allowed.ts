import { noticeMessage, type RenderedMessage } from './result-blocks.js';
import { md } from './slack-text.js';

/** A denial, the same words wherever it comes from (the runner has audited it already). */
export function notAllowed(reason: string): RenderedMessage {
  return noticeMessage(':no_entry:', md`Not allowed: ${reason}. Ask an admin to add you to the bot's authorization rules.`);
}
