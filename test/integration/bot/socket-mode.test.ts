import { afterEach, describe, expect, it } from '@jest/globals';
import type { HealthFinding } from '../../../ops/index.js';
import { CONFIRM_ACTION_ID } from '../../../bot/render/confirm-blocks.js';
import { messageText, type RecordedCall } from '../../support/fake-slack-api.js';
import { MemoryLock } from '../../support/memory-ops.js';
import type { PostResult } from '../../support/signed-request.js';
import { ADMIN, OPS_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';
import { APP_TOKEN, fakeActions } from './helpers/fake-actions.js';
import { observation, ScriptedOps } from './helpers/scripted-ops.js';

/**
 * Socket Mode, the bot's default, end to end on loopback: the real Bolt app and its
 * SocketModeReceiver as the bot builds them (bot/receiver.ts), a fake Web API whose
 * apps.connections.open hands out a local WebSocket, and a fake Socket Mode server that says
 * hello, delivers Slack's envelopes, times the acks and drops the socket as Slack does. Nothing
 * here is changed for the test: the reconnect waits the client's own delay (5 s).
 */

const SLACK_ACK_MS = 3000;
const nodeDown: HealthFinding = {
  check: 'node-down',
  severity: 'degraded',
  subject: 'rabbit2',
  what: 'rabbit2 is not running (container exited)',
  action: '`rmq-compose restart rabbit2`',
  run: { action: 'restart', argv: ['rabbit2'] },
};

const posts = (f: BotFixture) => f.api.of('chat.postMessage').filter((c) => c.params.channel === OPS_CHANNEL);
const buttonsOf = (call: RecordedCall) =>
  ((call.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>) ?? []).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []) : [],
  );
/** How many messages (posted, updated or through a response_url) say `text`. */
const saying = (f: BotFixture, text: string) =>
  f.api.calls.filter((c) => ['chat.postMessage', 'chat.update', 'response_url'].includes(c.method) && messageText(c).includes(text)).length;
const answered = (f: BotFixture, text: string, times = 1) => f.api.waitFor(() => saying(f, text) >= times, `an answer with "${text}"`);

describe('Socket Mode', () => {
  let f: BotFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('acks each envelope within 3 s, runs a slash command, an alert button and its confirmation; after Slack drops the socket it reconnects and keeps working', async () => {
    let ops!: ScriptedOps;
    f = await startBotFixture({
      mode: 'socket',
      ops: (state, audit) => (ops = new ScriptedOps({ actions: fakeActions(state), lock: new MemoryLock(), audit: { sink: audit } })),
      extraConfig: { watch: { clusters: { seed: { channel: OPS_CHANNEL, intervalSeconds: 30 } } } },
    });
    const fx = f;
    ops.names = new Map(Object.entries(fx.bot.runtime.config.clusters).map(([name, dir]) => [dir, name]));
    const socket = fx.socket!;
    const acks: Array<[string, PostResult]> = [];
    const acked = async (what: string, sent: Promise<PostResult>) => {
      const r = await sent; // rejects when no ack came within 3 s
      acks.push([what, r]);
      return r;
    };

    // start() resolved on hello: one connection opened with the app-level token
    expect(fx.api.of('apps.connections.open').map((c) => c.authorization)).toEqual([`Bearer ${APP_TOKEN}`]);
    expect(socket.connections).toHaveLength(1);
    expect(socket.open).toBe(1);

    // a slash command: acked, run, answered through its response_url
    await acked('slash status', fx.slash(VIEWER, 'status'));
    await answered(fx, '2/3 nodes running');
    await fx.bot.idle();
    expect(fx.state.runs).toEqual([{ action: 'status', args: {}, actor: VIEWER }]);

    // an alert with its runbook button: the press (block_actions) asks, the confirmation runs it
    ops.next.set('seed', () => observation([nodeDown], Date.now()));
    await fx.bot.runtime.watcher!.pollNow('seed');
    await fx.bot.runtime.watcher!.pollNow('seed');
    const alert = posts(fx).find((c) => messageText(c).includes('rabbit2 is not running'))!;
    expect(alert).toBeDefined();
    const restart = buttonsOf(alert).find((b) => b.text.text === 'Restart rabbit2')!;
    await acked('alert button', fx.click(ADMIN, restart.action_id, restart.value, String(alert.response?.ts)));
    await fx.api.waitFor(() => posts(fx).some((c) => messageText(c).includes(CONFIRM_ACTION_ID)), 'the confirmation');
    const confirm = posts(fx).find((c) => messageText(c).includes(CONFIRM_ACTION_ID))!;
    expect(fx.state.runs.map((r) => r.action)).toEqual(['status']);
    const run = buttonsOf(confirm).find((b) => b.action_id === CONFIRM_ACTION_ID)!;
    await acked('confirm button', fx.click(ADMIN, CONFIRM_ACTION_ID, run.value, String(confirm.response?.ts)));
    await fx.api.waitFor(() => fx.state.runs.length === 2, 'the restart');
    await fx.bot.idle();
    expect(fx.state.runs.at(-1)).toEqual({ action: 'restart', args: { node: 'rabbit2' }, actor: ADMIN });
    expect(fx.api.of('chat.update').some((c) => c.params.ts === confirm.response?.ts && messageText(c).includes('rabbit2 restarted'))).toBe(true);

    // Slack recycles the connection: a `disconnect` message; the client closes (1000), asks for a
    // new URL and opens a new socket, and the next command works on it
    socket.drop('refresh-requested');
    await socket.waitFor(() => socket.connections.length === 2 && socket.open === 1, 'the reconnect after refresh_requested', 15_000);
    expect(socket.connections[0]!.closeCode).toBe(1000);
    expect(fx.api.of('apps.connections.open')).toHaveLength(2);
    expect(socket.connections.map((c) => c.ticket)).toEqual([1, 2]);
    await acked('slash after refresh', fx.slash(ADMIN, 'logs rabbit1'));
    await answered(fx, 'rabbit1: 10 log lines');

    // the socket goes away without a goodbye (a close frame 1012, service restart): the same
    socket.drop(1012);
    await socket.waitFor(() => socket.connections.length === 3 && socket.open === 1, 'the reconnect after close 1012', 15_000);
    expect(fx.api.of('apps.connections.open')).toHaveLength(3);
    const statusAnswers = saying(fx, '2/3 nodes running');
    await acked('slash after close', fx.slash(VIEWER, 'status'));
    await answered(fx, '2/3 nodes running', statusAnswers + 1);
    await fx.bot.idle();

    expect(fx.state.runs.map((r) => r.action)).toEqual(['status', 'restart', 'logs', 'status']);
    for (const [what, r] of acks) expect({ what, ms: r.ms < SLACK_ACK_MS, status: r.status }).toEqual({ what, ms: true, status: 200 });
    // every message the bot sent was an ack of an envelope we delivered
    expect(socket.stray).toEqual([]);
  }, 45_000);

  it('stop() closes the socket and no reconnect follows', async () => {
    f = await startBotFixture({ mode: 'socket' });
    const socket = f.socket!;
    await f.bot.stop({ graceMs: 1000 });
    await socket.waitFor(() => socket.open === 0, 'the socket closed');
    expect(socket.connections[0]!.closeCode).toBe(1000);
    // the client's reconnect delay is 5 s: had it meant to come back, it would have asked by 6 s
    await new Promise((r) => setTimeout(r, 6000));
    expect(f.api.of('apps.connections.open')).toHaveLength(1);
    expect(socket.connections).toHaveLength(1);
  }, 20_000);
});
