import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { stringify } from 'yaml';
import { BotConfigError, checkConfigAgainstActions, loadBotConfig, parseBotConfig, type ConfigChecks } from '../../../bot/config.js';
import { startBot } from '../../../bot/main.js';
import { CATALOG_ENTRIES } from '../../../ops/catalog.js';
import { fakeManifest, writeFakeCluster } from '../../support/memory-ops.js';
import { TEST_SIGNING_SECRET } from '../../support/signed-request.js';

const env = { SLACK_BOT_TOKEN: 'xoxb-123-abc', SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET };
const good = {
  clusters: { seed: './seed' },
  resultsChannel: 'C0RESULTS',
  authorization: { readOnly: { users: ['*'], channels: ['*'] }, mutating: { users: ['U0ADMIN'], channels: ['C0OPS'] } },
};

function problems(raw: unknown, e: Record<string, string | undefined> = env, checks: ConfigChecks = {}): string[] {
  try {
    parseBotConfig(raw, '/etc/rmq-bot.yaml', e, checks);
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
    expect(problems({ ...good, token: 'xoxb-in-file' })).toEqual([
      expect.stringContaining('token: secrets are not read from the file; set the environment variable SLACK_BOT_TOKEN'),
    ]);
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

  it("refuses a signing secret that cannot be Slack's (32 hex digits), in either mode, naming the variable and never the value", () => {
    const http = { ...good, mode: 'http' };
    for (const bad of ['s', 'shh-secret-value', `${TEST_SIGNING_SECRET}0`, TEST_SIGNING_SECRET.slice(1), `xoxb-${TEST_SIGNING_SECRET.slice(5)}`]) {
      for (const config of [http, good]) {
        const p = problems(config, { ...env, SLACK_SIGNING_SECRET: bad });
        expect(p).toEqual([
          expect.stringMatching(
            /^env SLACK_SIGNING_SECRET: is not a Slack signing secret \(those are 32 hexadecimal characters\); copy it again from the app's Basic Information/,
          ),
        ]);
        // ('s' is in any sentence; the longer values must not be)
        if (bad.length > 1) expect(p.join('\n')).not.toContain(bad);
      }
    }
    expect(() => parseBotConfig(http, '/x.yaml', { ...env, SLACK_SIGNING_SECRET: 's' })).toThrow(BotConfigError);
    // Slack shows it in lower case; a copy in upper case is the same secret
    expect(parseBotConfig(http, '/x.yaml', { ...env, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET.toUpperCase() }).secrets.signingSecret).toBe(
      TEST_SIGNING_SECRET.toUpperCase(),
    );
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
    expect(() => checkConfigAgainstActions(c, [{ name: 'forget', mutating: true }])).toThrow(
      /forget\.users: "\*" \(anyone\) is not allowed[\s\S]*frob: no such action/,
    );
  });

  it('reports the cross-field rules in the same round as refused keys and values, and the environment', () => {
    // before: the structure first, then (once fixed) defaultCluster and "*" on mutating
    expect(
      problems(
        { ...good, defaultCluster: 'nope', resultsChannel: '#ops', authorization: { mutating: { users: ['*'], channels: ['C0OPS'] } } },
        { SLACK_BOT_TOKEN: 'xoxb-1' },
      ),
    ).toEqual([
      'resultsChannel: must be a Slack channel ID like C012ABCDEF (not a #name)',
      'defaultCluster: "nope" is not one of clusters (seed)',
      'authorization.mutating.users: "*" (anyone) is not allowed for mutating actions; list user IDs or groups',
      expect.stringMatching(/^env SLACK_APP_TOKEN: is required in Socket Mode/),
    ]);
  });

  it('does not report a rule about a value it had to leave out', () => {
    // the bad watch channel is refused; its cluster's rules (checks need thresholds) still run, the refused path's do not
    const p = problems({
      ...good,
      watch: { clusters: { seed: { channel: '#alerts', checks: ['queue-depth'] } } },
      authorization: { readOnly: { users: ['*'], channels: ['*'], clusters: ['seed', 'prod'] } },
    });
    expect(p).toEqual([
      'watch.clusters.seed.channel: must be a Slack channel ID like C012ABCDEF (not a #name)',
      'watch.clusters.seed.checks[0]: "queue-depth" needs its threshold under thresholds (queueDepth: 10000)',
      'authorization.readOnly.clusters[1]: "prod" is not one of clusters (seed)',
    ]);
    // a display name among user IDs: a stand-in takes its place, the rules about that rule still run
    expect(problems({ ...good, authorization: { mutating: { users: ['alice', '*'], channels: ['C0OPS'], clusters: ['prod'] } } })).toEqual([
      'authorization.mutating.users[0]: must be a Slack user ID like U012ABCDEF (not a display name)',
      'authorization.mutating.clusters[0]: "prod" is not one of clusters (seed)',
    ]);
    // a cluster name refused by its shape is not also "not one of clusters" for the rules that name it
    expect(problems({ ...good, clusters: { seed: './seed', Prod: './prod' }, defaultCluster: 'seed' })).toEqual([
      'clusters.Prod: cluster names are lower-case letters, digits, - and _',
    ]);
  });

  it('checks the action names of per-action rules in the same round, with the one meant', () => {
    const p = problems(
      {
        ...good,
        resultsChannel: '#ops',
        authorization: { ...good.authorization, actions: { restat: { users: ['U0ADMIN'], channels: ['*'] }, forget: { users: ['*'], channels: ['*'] } } },
      },
      env,
      { actions: CATALOG_ENTRIES },
    );
    expect(p).toEqual([
      'resultsChannel: must be a Slack channel ID like C012ABCDEF (not a #name)',
      expect.stringMatching(/^authorization\.actions\.restat: no such action; did you mean "restart"\? \(known: help, ack, alerts, status, /),
      'authorization.actions.forget.users: "*" (anyone) is not allowed for a mutating action',
    ]);
  });

  it("suggests the key meant, and sends people to the bot's own schema, not the cluster spec's", () => {
    const { resultsChannel, authorization, ...rest } = good;
    expect(problems({ ...rest, resultChannel: resultsChannel, authorisation: authorization })).toEqual([
      'resultChannel: unknown key; did you mean "resultsChannel"?',
      'authorisation: unknown key; did you mean "authorization"?',
    ]);
    expect(problems({ ...good, confirmation: { expiresAfter: 60 } })).toEqual([
      'confirmation.expiresAfter: unknown key; the keys here are expiresAfterSeconds, requireSecondPerson',
    ]);
    const p = problems({ ...good, replicas: 2 });
    expect(p).toEqual(['replicas: unknown key; rmq-compose bot schema lists the allowed keys']);
    expect(problems({ clusters: { seed: './seed' }, authorization: {} })).toEqual(['resultsChannel: is required; rmq-compose bot schema lists every key']);
    expect(problems({ ...good, mode: 'sockets' })).toEqual(['mode: "sockets" is not one of socket, http; did you mean "socket"?']);
    expect(problems({ ...good, mode: 'http', http: { port: 70000 } })).toEqual(['http.port: must be a port number between 0 and 65535 (0: any free port)']);
  });
});

describe('loading the bot configuration at start', () => {
  async function withConfig(config: Record<string, unknown>, test: (file: string, dir: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'rmq-bot-config-'));
    try {
      await mkdir(join(dir, 'seed'));
      await writeFakeCluster(join(dir, 'seed'), fakeManifest('seed'));
      await writeFile(join(dir, 'rmq-bot.yaml'), stringify(config));
      await test(join(dir, 'rmq-bot.yaml'), dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  async function loadProblems(file: string, checks: ConfigChecks = {}): Promise<string[]> {
    try {
      await loadBotConfig(file, env, checks);
    } catch (error) {
      if (error instanceof BotConfigError) return [...error.problems];
      throw error;
    }
    return [];
  }

  it('accepts folders that hold a generated cluster', async () => {
    await withConfig(good, async (file, dir) => {
      const c = await loadBotConfig(file, env, { actions: CATALOG_ENTRIES });
      expect(c.clusters.seed).toBe(join(dir, 'seed'));
    });
  });

  it("checks every cluster folder, naming the config path, with the file's and the environment's problems in one round", async () => {
    const config = {
      ...good,
      clusters: { seed: './seed', missing: './nope', broken: './broken', stale: './stale' },
      defaultCluster: 'seed',
      resultsChannel: '#ops',
      logLevel: 'verbose',
    };
    await withConfig(config, async (file, dir) => {
      await mkdir(join(dir, 'broken'));
      await writeFile(join(dir, 'broken', 'rmq-compose.json'), '{ not json');
      await mkdir(join(dir, 'stale'));
      await writeFile(join(dir, 'stale', 'rmq-compose.json'), JSON.stringify({ schemaVersion: 0 }));
      const p = await loadProblems(file);
      expect(p).toEqual([
        'resultsChannel: must be a Slack channel ID like C012ABCDEF (not a #name)',
        'logLevel: "verbose" is not one of debug, info, warn, error',
        `clusters.missing: ./nope has no rmq-compose cluster (no rmq-compose.json in ${join(dir, 'nope')}); run rmq-compose gen first or fix the path`,
        `clusters.broken: ${join(dir, 'broken', 'rmq-compose.json')} is not valid JSON; regenerate it with rmq-compose gen`,
        expect.stringMatching(
          /^clusters\.stale: .*stale\/rmq-compose\.json is not a manifest this version of rmq-compose understands \(.+\); regenerate it with rmq-compose gen$/,
        ),
      ]);
    });
    // and with the environment's: the secrets are checked in the same round
    await withConfig({ ...good, clusters: { seed: './seed', missing: './nope' } }, async (file) => {
      try {
        await loadBotConfig(file, { SLACK_BOT_TOKEN: 'xoxb-1' });
        throw new Error('loaded');
      } catch (error) {
        expect((error as BotConfigError).problems).toEqual([
          expect.stringMatching(/^clusters\.missing: \.\/nope has no rmq-compose cluster/),
          expect.stringMatching(/^env SLACK_APP_TOKEN: is required in Socket Mode/),
        ]);
      }
    });
  });

  it('names an absolute folder once, and never checks a folder whose entry was refused', async () => {
    await withConfig({ ...good, clusters: { seed: './seed', gone: '/nonexistent/rmq-cluster', Bad: './bad' } }, async (file) => {
      expect(await loadProblems(file)).toEqual([
        'clusters.Bad: cluster names are lower-case letters, digits, - and _',
        'clusters.gone: /nonexistent/rmq-cluster has no rmq-compose cluster (no rmq-compose.json there); run rmq-compose gen first or fix the path',
      ]);
    });
  });

  it('at bot start, the action names, the folders and the file come in one round, before Slack is reached', async () => {
    const config = {
      ...good,
      clusters: { seed: './seed', missing: './nope' },
      defaultCluster: 'seed',
      authorization: { ...good.authorization, actions: { frob: { users: ['U0ADMIN'], channels: ['*'] } } },
      logLevel: 'loud',
    };
    await withConfig(config, async (file) => {
      // (before: the file's problems, then the action names once Bolt was built, and the folders at the first command)
      const error = await startBot(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BotConfigError);
      expect((error as BotConfigError).problems.slice(0, 3)).toEqual([
        'logLevel: "loud" is not one of debug, info, warn, error',
        expect.stringMatching(/^authorization\.actions\.frob: no such action \(known: help, ack, alerts, status, /),
        expect.stringMatching(/^clusters\.missing: \.\/nope has no rmq-compose cluster/),
      ]);
    });
  });
});
