import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { messageText, type RecordedCall } from '../../support/fake-slack-api.js';
import { ADMIN, OPS_CHANNEL, RESULTS_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';

function within(call: RecordedCall): void {
  const blocks = (call.params.blocks ?? []) as Array<{ type: string; text?: { text: string } }>;
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
}

describe('running an action: live progress, final result, results channel, long output', () => {
  let f: BotFixture;
  beforeEach(async () => {
    f = await startBotFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('posts a message at once, updates it step by step, and announces who ran what', async () => {
    await f.slash(ADMIN, 'restart rabbit2');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'the run to finish');
    await f.bot.idle();
    const [first, ...others] = f.api.of('chat.postMessage');
    expect(first!.params.channel).toBe(OPS_CHANNEL);
    expect(messageText(first!)).toContain('running');
    const updates = f.api.of('chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    // Every update edits the first message (the fake hands out ts 1700000001.000100 first).
    for (const u of updates) expect(u.params.ts).toBe('1700000001.000100');
    expect(updates.some((u) => messageText(u).includes('start rabbit2'))).toBe(true);
    const final = updates.at(-1)!;
    expect(messageText(final)).toContain('rabbit2 restarted');
    expect(messageText(final)).toContain(`<@${ADMIN}> ran`);
    const announce = others.find((c) => c.params.channel === RESULTS_CHANNEL)!;
    expect(messageText(announce)).toContain(`<@${ADMIN}> ran`);
    expect(messageText(announce)).toContain('/rmq restart seed rabbit2');
    expect(f.audit.outcomes[0]).toMatchObject({ action: 'restart', result: 'ok', args: ['rabbit2'] });
    expect(f.audit.outcomes[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('renders status as a node table with up/down marks, not a text dump', async () => {
    await f.slash(VIEWER, 'status');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'status');
    await f.bot.idle();
    const final = f.api.of('chat.update').at(-1)!;
    const blocks = final.params.blocks as Array<{ type: string; text?: { text: string } }>;
    const table = blocks.find((b) => b.text?.text.startsWith('*Nodes*'))!.text!.text;
    expect(table).toContain('*Nodes* 2/3 up · RabbitMQ 3.13.7');
    expect(table).toContain(':large_green_circle: `rabbit1`  up · disc · 3.13.7');
    expect(table).toContain(':large_yellow_circle: `rabbit2`  up · ram · 3.13.7 · alarms: memory');
    expect(table).toContain(':red_circle: `rabbit3`  *DOWN* · ram');
    const text = messageText(final);
    expect(text).toContain('orders (1 unsynchronised mirror)');
    expect(text).toContain('VIP held by `lb1`');
    expect(text).not.toContain('```'); // no raw dump
  });

  it('does not announce read-only actions in the results channel by default', async () => {
    await f.slash(VIEWER, 'status');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'status');
    await f.bot.idle();
    expect(f.api.of('chat.postMessage').filter((c) => c.params.channel === RESULTS_CHANNEL)).toEqual([]);
  });

  it('uploads output past Slack limits as a file instead of cutting it', async () => {
    f.state.logLines = 400; // ~24 kB of text: far past a 3000-character section
    await f.slash(VIEWER, 'logs rabbit1');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'logs');
    await f.bot.idle();
    for (const c of [...f.api.of('chat.postMessage'), ...f.api.of('chat.update')]) within(c);
    expect(f.api.of('files.getUploadURLExternal')).toHaveLength(1);
    const upload = f.api.of('file.upload')[0]!;
    expect(upload.raw).toContain('line 0 of the log');
    expect(upload.raw).toContain('line 399 of the log');
    expect(upload.raw).toContain('END-OF-LOG-MARKER');
    const complete = f.api.of('files.completeUploadExternal')[0]!;
    expect(complete.params.channel_id).toBe(OPS_CHANNEL);
    expect(messageText(f.api.of('chat.update').at(-1)!)).toContain('attached as a file');
  });

  it('keeps short output inline', async () => {
    await f.slash(VIEWER, 'logs rabbit1');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'logs');
    await f.bot.idle();
    expect(f.api.of('files.getUploadURLExternal')).toEqual([]);
    expect(messageText(f.api.of('chat.update').at(-1)!)).toContain('END-OF-LOG-MARKER');
  });

  it('still answers through response_url when the bot cannot post in the channel', async () => {
    f.api.failing.set('chat.postMessage', 'not_in_channel');
    await f.slash(VIEWER, 'status');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'status');
    await f.bot.idle();
    const reply = f.api.of('response_url').at(-1)!;
    expect(reply.params.response_type).toBe('in_channel');
    expect(messageText(reply)).toContain('2/3 nodes running');
  });
});
