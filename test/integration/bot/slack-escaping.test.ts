import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { HealthFinding, MetricSample } from '../../../ops/index.js';
import { messageText, type RecordedCall } from '../../support/fake-slack-api.js';
import { MemoryLock } from '../../support/memory-ops.js';
import { ADMIN, OPS_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';
import { fakeActions } from './helpers/fake-actions.js';
import { observation, ScriptedOps } from './helpers/scripted-ops.js';

/**
 * Issue 19: any AMQP client may declare a queue named like Slack markup. Whatever the broker, a
 * spec or a person supplies reaches Slack escaped, in every kind of message the bot sends: the
 * alert (its blocks and its notification text), its updates, its thread, file titles, ephemeral
 * replies, results.
 */
const EVIL = '<!channel> <https://evil.example/login|open the runbook>';
const RAW = ['<!channel>', '<https://'];

const orphaned = (consumers: number): Omit<MetricSample, 'at'> => ({
  published: 100,
  delivered: 100,
  ready: 5,
  unacked: 0,
  queues: [{ vhost: '/', name: EVIL, messages: 5, consumers }],
});
const noMajority: HealthFinding = {
  check: 'no-majority',
  severity: 'critical',
  subject: EVIL,
  what: `quorum queue ${EVIL}: fewer members online than a majority, it accepts and delivers nothing`,
  action: 'bring its offline members back',
};

/** Everything Slack would read as text in a call (files' bytes are not text: left out). */
const sent = (f: BotFixture) =>
  f.api.calls.filter((c) => c.method !== 'auth.test' && c.method !== 'file.upload').map((c) => ({ method: c.method, body: JSON.stringify(c.params) }));
const saying = (calls: readonly RecordedCall[], words: string) => calls.filter((c) => messageText(c).includes(words));

describe('names from the broker and from people reach Slack escaped, in every message kind', () => {
  let f: BotFixture;
  let ops: ScriptedOps;
  beforeEach(async () => {
    f = await startBotFixture({
      ops: (state, audit) => (ops = new ScriptedOps({ actions: fakeActions(state), lock: new MemoryLock(), audit: { sink: audit } })),
      extraConfig: {
        watch: { clusters: { seed: { channel: OPS_CHANNEL, intervalSeconds: 30, raiseAfter: 2, thresholds: { noConsumers: { minMessages: 1 } } } } },
      },
    });
    ops.names = new Map(Object.entries(f.bot.runtime.config.clusters).map(([name, dir]) => [dir, name]));
  });
  afterEach(async () => f.close());

  it('a queue named <!channel> <https://…|…>: alert, update, thread ("Now CRITICAL", "Bad again"), chart title, /rmq alerts; a typed one: results, file titles, replies', async () => {
    const watcher = f.bot.runtime.watcher!;
    let at = Date.UTC(2026, 10, 28, 14, 0);
    const poll = async (findings: HealthFinding[], consumers: number) => {
      ops.next.set('seed', () => observation(findings, (at += 30_000), orphaned(consumers)));
      await watcher.pollNow('seed');
    };
    await poll([], 0);
    await poll([], 0); // raised: the alert, and its chart in the thread
    await poll([noMajority], 0); // worse: "Now CRITICAL" in the thread
    await poll([], 1);
    await poll([], 1); // recovered
    await poll([], 0);
    await poll([], 0); // back within the flap window: "Bad again" in the thread
    await f.slash(VIEWER, 'alerts');
    await f.slash(VIEWER, '<!channel>');
    f.state.logLines = 200; // too long for a message: a file, titled with the command as typed
    await f.slash(ADMIN, 'logs rabbit1 "<!channel>"');
    await f.api.waitFor(() => f.api.of('response_url').length >= 2 && f.api.of('files.completeUploadExternal').length >= 2, 'the replies and the log file');
    await f.bot.idle();

    // nothing anywhere carries the markup raw
    for (const { method, body } of sent(f)) for (const raw of RAW) expect({ method, raw: body.includes(raw) }).toEqual({ method, raw: false });

    // ...and each kind did carry the name, escaped (the check above is not vacuous)
    const escaped = '&lt;!channel&gt; &lt;https://evil.example/login|open the runbook&gt;';
    const alert = saying(f.api.of('chat.postMessage'), 'no consumer on')[0]!;
    expect(String(alert.params.text)).toContain(escaped);
    expect(JSON.stringify(alert.params.blocks)).toContain(escaped);
    expect(saying(f.api.of('chat.update'), escaped).length).toBeGreaterThan(0);
    const thread = f.api.of('chat.postMessage').filter((c) => c.params.thread_ts === alert.response?.ts);
    expect(saying(thread, 'Now CRITICAL').map((c) => String(c.params.text))).toEqual([expect.stringContaining(`quorum queue ${escaped}`)]);
    expect(saying(thread, 'Bad again').map((c) => String(c.params.text))).toEqual([expect.stringContaining(`no consumer on ${escaped}`)]);
    const titles = f.api.of('files.completeUploadExternal').map((c) => JSON.stringify(c.params.files));
    expect(titles).toEqual([
      expect.stringContaining('seed: message rates and queue depth'),
      expect.stringContaining('/rmq logs seed rabbit1 &lt;!channel&gt; — full output'),
    ]);
    expect(saying(f.api.of('response_url'), 'Open alerts').map((c) => String(c.params.text))).toEqual([expect.stringContaining(escaped)]);
    expect(saying(f.api.of('response_url'), 'Unknown action').map((c) => String(c.params.text))).toEqual([expect.stringContaining('`&lt;!channel&gt;`')]);
  });
});
