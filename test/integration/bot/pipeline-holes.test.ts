import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBotConfig } from '../../../bot/config.js';
import { OpsCore, runAction } from '../../../ops/index.js';
import { MemoryLock } from '../../support/memory-ops.js';
import { messageText } from '../../support/fake-slack-api.js';
import { TEST_SIGNING_SECRET } from '../../support/signed-request.js';
import { ADMIN, OPS_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';
import { CLUSTER_COOKIE, CLUSTER_PASSWORD, fakeActions } from './helpers/fake-actions.js';

/** Holes found by trying to break the bot, each kept closed by a test that failed before. */
describe('the bot on the shared pipeline', () => {
  let f: BotFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('escapes user-typed mentions everywhere it posts: text fallbacks and blocks', async () => {
    f = await startBotFixture();
    await f.slash(ADMIN, 'mirror-policy set q "<!channel>"');
    await f.api.waitFor(() => f!.audit.outcomes.some((e) => e.result === 'ok'), 'the policy run');
    await f.bot.idle();
    const posted = f.api.calls.filter((c) => c.method !== 'auth.test').map((c) => decodeURIComponent(c.raw.replace(/\+/g, ' ')));
    expect(posted.length).toBeGreaterThan(1);
    for (const body of posted) {
      expect(body).not.toContain('<!channel>');
    }
    expect(posted.join('\n')).toContain('&lt;!channel&gt;');
  });

  it('masks the Erlang cookie typed as an argument in the audit log before the bot has run anything on that cluster', async () => {
    f = await startBotFixture();
    await f.slash(ADMIN, `logs ${CLUSTER_COOKIE}`);
    await f.api.waitFor(() => f!.audit.outcomes.length > 0, 'the rejection');
    await f.bot.idle();
    const logged = JSON.stringify(f.audit.entries);
    expect(logged).not.toContain(CLUSTER_COOKIE);
    expect(logged).toContain('***');
    expect(f.api.calls.map((c) => decodeURIComponent(c.raw)).join('\n')).not.toContain(CLUSTER_COOKIE);
  });

  it('names no cluster to someone not allowed to read, when the command names none', async () => {
    f = await startBotFixture({
      extraConfig: {
        defaultCluster: undefined,
        authorization: { readOnly: { users: [ADMIN], channels: ['*'] }, mutating: { users: [ADMIN], channels: [OPS_CHANNEL] } },
      },
    });
    await f.slash(VIEWER, 'restart rabbit2');
    await f.api.waitFor(() => f!.api.of('response_url').length > 0, 'the answer');
    await f.bot.idle();
    const answer = messageText(f.api.of('response_url').at(-1)!);
    expect(answer).toContain('Which cluster?');
    expect(answer).not.toMatch(/seed|other/);
    await f.slash(ADMIN, 'status');
    await f.api.waitFor(() => f!.api.of('response_url').length > 1, 'the second answer');
    expect(messageText(f.api.of('response_url').at(-1)!)).toMatch(/`seed`, `other`/);
  });

  it('writes the same per-cluster audit.log as the terminal: one log, both surfaces', async () => {
    f = await startBotFixture({ ops: (state) => new OpsCore({ actions: fakeActions(state), lock: new MemoryLock() }) });
    await f.slash(ADMIN, 'restart rabbit2');
    await f.api.waitFor(() => f!.state.runs.length === 1, 'the restart');
    await f.bot.idle();
    // the real unlock action, from the terminal, on the same folder
    await runAction('unlock', [], { dir: f.clusterDir, actor: { via: 'cli', id: 'alice' }, confirm: async () => true });
    const lines = (await readFile(join(f.clusterDir, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: { via: string }; action: string; result: string });
    expect(lines.map((l) => [l.actor.via, l.action, l.result])).toEqual([
      ['slack', 'restart', 'started'],
      ['slack', 'restart', 'ok'],
      ['cli', 'unlock', 'started'],
      ['cli', 'unlock', 'ok'],
    ]);
    expect(JSON.stringify(lines)).not.toContain(CLUSTER_PASSWORD);
  });
});

describe('bot configuration', () => {
  const base = { mode: 'http', clusters: { seed: '/srv/seed' }, resultsChannel: 'C0123RESULTS', authorization: {} };
  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET };

  it('refuses a Web API URL that would send the token in clear across a network', () => {
    expect(() => parseBotConfig({ ...base, slackApiUrl: 'http://slack.example.net/api/' }, 'rmq-bot.yaml', env)).toThrow(
      /slackApiUrl: must be an https:\/\/ URL, or http:\/\/ only to this machine/,
    );
    expect(parseBotConfig({ ...base, slackApiUrl: 'https://slack.example.net/api/' }, 'rmq-bot.yaml', env).slackApiUrl).toBe('https://slack.example.net/api/');
    expect(parseBotConfig({ ...base, slackApiUrl: 'http://127.0.0.1:9/api/' }, 'rmq-bot.yaml', env).slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });
});
