import { afterEach, describe, expect, it } from '@jest/globals';
import { messageText } from '../../support/fake-slack-api.js';
import { CANCEL_ACTION_ID, CONFIRM_ACTION_ID } from '../../../bot/render/confirm-blocks.js';
import { ADMIN, ONCALL, ONCALL_GROUP, OPS_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';

interface Button {
  action_id: string;
  value: string;
  confirm?: unknown;
}

describe('dangerous actions: Block Kit confirmation, expiry, second person', () => {
  let f: BotFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  /** Ask for `drain rabbit2`; return the pending id and the ts of the message with the buttons. */
  async function ask(fx: BotFixture, user = ADMIN): Promise<{ id: string; ts: string }> {
    const before = fx.api.of('chat.postMessage').length;
    expect((await fx.slash(user, 'drain rabbit2')).status).toBe(200);
    await fx.api.waitFor(() => fx.api.of('chat.postMessage').length > before, 'the confirmation message');
    await fx.bot.idle();
    const post = fx.api.of('chat.postMessage').at(-1)!;
    expect(post.params.channel).toBe(OPS_CHANNEL);
    const blocks = post.params.blocks as Array<{ type: string; elements?: Button[] }>;
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    const run = buttons.find((b) => b.action_id === CONFIRM_ACTION_ID)!;
    expect(run.confirm).toBeDefined(); // Slack's own "Are you sure?" dialog
    expect(buttons.map((b) => b.action_id)).toContain(CANCEL_ACTION_ID);
    expect(fx.state.runs).toEqual([]);
    return { id: run.value, ts: '1700000001.000100' };
  }

  async function press(fx: BotFixture, user: string, actionId: string, p: { id: string; ts: string }) {
    expect((await fx.click(user, actionId, p.id, p.ts)).status).toBe(200);
    await fx.bot.idle();
  }

  it('runs only after the requester confirms, in place of the buttons', async () => {
    f = await startBotFixture();
    const p = await ask(f);
    await press(f, VIEWER, CONFIRM_ACTION_ID, p); // someone else: refused
    expect(f.state.runs).toEqual([]);
    expect(messageText(f.api.of('response_url').at(-1)!)).toContain(`only <@${ADMIN}> can confirm`);
    await press(f, ADMIN, CONFIRM_ACTION_ID, p);
    expect(f.state.runs).toEqual([{ action: 'drain', args: { node: 'rabbit2' }, actor: ADMIN }]);
    const final = f.api.of('chat.update').at(-1)!;
    expect(final.params.ts).toBe(p.ts);
    expect(messageText(final)).toContain('rabbit2 drained');
    expect(f.audit.outcomes.map((e) => e.result)).toEqual(['pending', 'denied', 'ok']);
    expect(f.audit.outcomes.at(-1)!.detail).toContain(`confirmed by ${ADMIN}`);
    await press(f, ADMIN, CONFIRM_ACTION_ID, p); // a second press does nothing
    expect(f.state.runs).toHaveLength(1);
  });

  it('expires: a late confirmation runs nothing and marks the message expired', async () => {
    f = await startBotFixture();
    const p = await ask(f);
    f.advance(61_000);
    await press(f, ADMIN, CONFIRM_ACTION_ID, p);
    expect(f.state.runs).toEqual([]);
    expect(messageText(f.api.of('chat.update').at(-1)!)).toContain('Expired');
    expect(f.audit.outcomes.at(-1)!.result).toBe('expired');
  });

  it('cancel drops the request', async () => {
    f = await startBotFixture();
    const p = await ask(f);
    await press(f, ADMIN, CANCEL_ACTION_ID, p);
    await press(f, ADMIN, CONFIRM_ACTION_ID, p);
    expect(f.state.runs).toEqual([]);
    expect(messageText(f.api.of('chat.update').at(-1)!)).toContain('Cancelled');
    expect(f.audit.outcomes.map((e) => e.result)).toEqual(['pending', 'cancelled']);
  });

  it('with requireSecondPerson: not the requester, not an unauthorized user, but another authorized person', async () => {
    f = await startBotFixture({ requireSecondPerson: true });
    f.api.groups.set(ONCALL_GROUP, [ONCALL]);
    const p = await ask(f);
    await press(f, ADMIN, CONFIRM_ACTION_ID, p);
    expect(messageText(f.api.of('response_url').at(-1)!)).toContain('second person');
    await press(f, VIEWER, CONFIRM_ACTION_ID, p);
    expect(messageText(f.api.of('response_url').at(-1)!)).toContain('Not allowed to approve');
    expect(f.state.runs).toEqual([]);
    await press(f, ONCALL, CONFIRM_ACTION_ID, p);
    // Runs as the requester; the approver is on record.
    expect(f.state.runs).toEqual([{ action: 'drain', args: { node: 'rabbit2' }, actor: ADMIN }]);
    expect(f.audit.outcomes.at(-1)).toMatchObject({ result: 'ok', actor: { id: ADMIN } });
    expect(f.audit.outcomes.at(-1)!.detail).toContain(`approved by ${ONCALL}`);
  });
});
