import type { types } from '@slack/bolt';
import type { PendingCommand } from '../confirmations.js';
import { commandLabel } from './result-blocks.js';
import type { RenderedMessage } from './result-blocks.js';
import { md, mention, mrkdwn, type SlackText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

export const CONFIRM_ACTION_ID = 'rmq_confirm';
export const CANCEL_ACTION_ID = 'rmq_cancel';

/** The question for a dangerous action: Run/Cancel buttons, Run guarded by Slack's own confirm dialog. */
export function confirmMessage(p: PendingCommand, summary: string, secondPerson: boolean): RenderedMessage {
  const label = commandLabel(p);
  const expires = Math.floor(p.expiresAt / 1000);
  const who = secondPerson
    ? md`${mention(p.requester.id)} wants to run \`${label}\`. *Another authorized person* must approve it.`
    : md`${mention(p.requester.id)}, \`${label}\` is dangerous. Confirm to run it.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(md`:warning: ${who}\n_${summary}_`) },
    {
      type: 'actions',
      block_id: `rmq_pending_${p.id}`,
      elements: [
        {
          type: 'button',
          action_id: CONFIRM_ACTION_ID,
          style: 'danger',
          value: p.id,
          text: { type: 'plain_text', text: secondPerson ? 'Approve and run' : 'Run it' },
          confirm: {
            title: { type: 'plain_text', text: 'Are you sure?' },
            text: mrkdwn(md`This runs \`${label}\` now.`),
            confirm: { type: 'plain_text', text: 'Run' },
            deny: { type: 'plain_text', text: 'Back' },
            style: 'danger',
          },
        },
        { type: 'button', action_id: CANCEL_ACTION_ID, value: p.id, text: { type: 'plain_text', text: 'Cancel' } },
      ],
    },
    // <!date> renders in each reader's own time zone.
    { type: 'context', elements: [mrkdwn(md`Expires <!date^${expires}^{time}|in ${Math.round((p.expiresAt - p.createdAt) / 1000)} s>.`)] },
  ];
  return { text: md`Confirm: ${label}`.markup, blocks };
}

/** What replaces the buttons once decided, so nobody presses them twice. */
export function decidedMessage(p: PendingCommand, line: SlackText): RenderedMessage {
  const text = md`${line} (\`${commandLabel(p)}\`, asked by ${mention(p.requester.id)})`;
  return { text: text.markup, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
