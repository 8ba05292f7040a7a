import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { BotConfigError, checkConfigAgainstActions, parseBotConfig } from '../../../bot/config.js';
import { TEST_SIGNING_SECRET } from '../../support/signed-request.js';

const env = { SLACK_BOT_TOKEN: 'xoxb-123-abc', SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET };
const good = {
  clusters: { seed: './seed' },
  resultsChannel: 'C0RESULTS',
  authorization: { readOnly: { users: ['*'], channels: ['*'] }, mutating: { users: ['U0ADMIN'], channels: ['C0OPS'] } },
};

function problems(raw: unknown, e: Record<string, string | undefined> = env): string[] {
  try {
    parseBotConfig(raw, '/etc/rmq-bot.yaml', e);
  } catch (error) {
    if (error instanceof BotConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('bot configuration', () => {
  it('defaults to Socket Mode, resolves cluster folders next to the file, picks the only cluster', () => {
    const c = parseBotConfig(good, '/etc/rmq/rmq-bot.yaml', env);
    expect(c.mode).toBe('socket');
    expect(c.clusters.seed).toBe('/etc/rmq/seed');
    expect(c.defaultCluster).toBe('seed');
    expect(c.confirmation).toEqual({ expiresAfterSeconds: 120, requireSecondPerson: false });
    expect(c.auditLog).toBe('/etc/rmq/rmq-bot-audit.jsonl');
  });

  it('never shows the tokens when printed or serialized', () => {
    const c = parseBotConfig(good, '/x.yaml', env);
    const printed = inspect(c, { depth: 10 }) + JSON.stringify(c) + String(c.secrets);
    for (const v of Object.values(env)) expect(printed).not.toContain(v);
    expect(c.secrets.botToken).toBe(env.SLACK_BOT_TOKEN);
  });

  it('refuses tokens in the file and names the environment variable instead', () => {
    expect(problems({ ...good, token: 'xoxb-in-file' })).toEqual([expect.stringContaining('token: secrets are not read from the file; set the environment variable SLACK_BOT_TOKEN')]);
  });

  it('reports every problem with its path, and which env variable is missing, without echoing values', () => {
    const p = problems(
      { ...good, mode: 'http', resultsChannel: '#ops', authorization: { mutating: { users: ['*', 'alice'], channels: ['C0OPS'] } }, confirm: {} },
      { SLACK_BOT_TOKEN: 'xoxp-user-token-value' },
    );
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^resultsChannel: must be a Slack channel ID/),
        expect.stringMatching(/^authorization\.mutating\.users\[1\]/),
        expect.stringMatching(/^confirm: unknown key/),
        'env SLACK_BOT_TOKEN: must be a bot token starting with xoxb-',
        expect.stringMatching(/^env SLACK_SIGNING_SECRET: is required in http mode/),
      ]),
    );
    expect(p.join('\n')).not.toContain('xoxp-user-token-value');
  });

  it('refuses a signing secret that cannot be Slack\'s (32 hex digits), in either mode, naming the variable and never the value', () => {
    const http = { ...good, mode: 'http' };
    for (const bad of ['s', 'shh-secret-value', `${TEST_SIGNING_SECRET}0`, TEST_SIGNING_SECRET.slice(1), `xoxb-${TEST_SIGNING_SECRET.slice(5)}`]) {
      for (const config of [http, good]) {
        const p = problems(config, { ...env, SLACK_SIGNING_SECRET: bad });
        expect(p).toEqual([expect.stringMatching(/^env SLACK_SIGNING_SECRET: is not a Slack signing secret \(those are 32 hexadecimal characters\); copy it again from the app's Basic Information/)]);
        // ('s' is in any sentence; the longer values must not be)
        if (bad.length > 1) expect(p.join('\n')).not.toContain(bad);
      }
    }
    expect(() => parseBotConfig(http, '/x.yaml', { ...env, SLACK_SIGNING_SECRET: 's' })).toThrow(BotConfigError);
    // Slack shows it in lower case; a copy in upper case is the same secret
    expect(parseBotConfig(http, '/x.yaml', { ...env, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET.toUpperCase() }).secrets.signingSecret).toBe(TEST_SIGNING_SECRET.toUpperCase());
  });

  it('refuses "*" (anyone) for mutating actions', () => {
    expect(problems({ ...good, authorization: { mutating: { users: ['*'], channels: ['C0OPS'] } } })).toEqual([
      'authorization.mutating.users: "*" (anyone) is not allowed for mutating actions; list user IDs or groups',
    ]);
  });

  it('needs the app token in Socket Mode and a known default cluster', () => {
    expect(problems({ ...good, defaultCluster: 'nope' }, { SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      'defaultCluster: "nope" is not one of clusters (seed)',
      expect.stringMatching(/^env SLACK_APP_TOKEN: is required in Socket Mode/),
    ]);
  });

  it('checks per-action rules against the action table', () => {
    const c = parseBotConfig({ ...good, authorization: { actions: { forget: { users: ['*'], channels: ['*'] }, frob: {} } } }, '/x.yaml', env);
    expect(() => checkConfigAgainstActions(c, [{ name: 'forget', mutating: true }])).toThrow(/forget\.users: "\*" \(anyone\) is not allowed[\s\S]*frob: no such action/);
  });
});
