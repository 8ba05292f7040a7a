import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, LogLevel } from '@slack/bolt';
import { buildBotApp, type BotApp } from '../../../../bot/app.js';
import { parseBotConfig } from '../../../../bot/config.js';
import { OpsCore, type ActionDefinition } from '../../../../ops/index.js';
import { FakeSlackApi } from '../../../support/fake-slack-api.js';
import { fakeManifest, MemoryAudit, MemoryLock, writeFakeCluster } from '../../../support/memory-ops.js';
import { buttonBody, postSigned, slashBody, type PostResult, type SignOptions } from '../../../support/signed-request.js';
import { BOT_TOKEN, CLUSTER_COOKIE, CLUSTER_PASSWORD, fakeActions, SIGNING_SECRET, type FakeActionState } from './fake-actions.js';

export const ADMIN = 'UADMIN01';
export const ONCALL = 'UONCALL2';
export const VIEWER = 'UVIEWER3';
export const OPS_CHANNEL = 'COPS0001';
export const RESULTS_CHANNEL = 'CRESULT1';
export const OTHER_CHANNEL = 'COTHER01';
export const ONCALL_GROUP = 'SONCALL1';

/** Collects log lines so tests can look for error ids and for leaks. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  #level = 'debug' as LogLevel;
  debug(...m: unknown[]): void { this.lines.push(`DEBUG ${m.join(' ')}`); }
  info(...m: unknown[]): void { this.lines.push(`INFO ${m.join(' ')}`); }
  warn(...m: unknown[]): void { this.lines.push(`WARN ${m.join(' ')}`); }
  error(...m: unknown[]): void { this.lines.push(`ERROR ${m.join(' ')}`); }
  setLevel(l: LogLevel): void { this.#level = l; }
  getLevel(): LogLevel { return this.#level; }
  setName(): void {}
}

export interface FixtureOptions {
  requireSecondPerson?: boolean;
  actions?: (state: FakeActionState) => ActionDefinition[];
  /** Another operations core (e.g. with each cluster's real audit.log) instead of the memory-audited one. */
  ops?: (state: FakeActionState, audit: MemoryAudit) => OpsCore;
  extraConfig?: Record<string, unknown>;
  /** Start the watcher's timers (default: no; tests poll with bot.runtime.watcher.pollNow). */
  watchTimers?: boolean;
}

export interface BotFixture {
  api: FakeSlackApi;
  bot: BotApp;
  audit: MemoryAudit;
  state: FakeActionState;
  logger: CapturingLogger;
  url: string;
  clusterDir: string;
  /** Moves the bot's clock (confirmation expiry) without waiting. */
  advance(ms: number): void;
  slash(user: string, text: string, channel?: string, sign?: SignOptions): Promise<PostResult>;
  click(user: string, actionId: string, value: string, messageTs: string, channel?: string): Promise<PostResult>;
  close(): Promise<void>;
}

/** A real Bolt app on the HTTP receiver (127.0.0.1, random port) talking to a local fake Web API. */
export async function startBotFixture(opts: FixtureOptions = {}): Promise<BotFixture> {
  const api = await new FakeSlackApi().start();
  // Real cluster folders (manifest and .env) read by the real loader, so the bot learns the
  // password and cookie it must never show, at start-up.
  const clusterDir = await mkdtemp(join(tmpdir(), 'rmq-bot-'));
  const otherDir = join(clusterDir, 'other');
  await mkdir(otherDir);
  await writeFakeCluster(clusterDir, fakeManifest('seed'), `RABBITMQ_DEFAULT_PASS=${CLUSTER_PASSWORD}\nRABBITMQ_ERLANG_COOKIE="${CLUSTER_COOKIE}"\n`);
  await writeFakeCluster(otherDir, fakeManifest('other'));
  const config = parseBotConfig(
    {
      mode: 'http',
      clusters: { seed: clusterDir, other: otherDir },
      defaultCluster: 'seed',
      resultsChannel: RESULTS_CHANNEL,
      authorization: {
        readOnly: { users: ['*'], channels: ['*'] },
        mutating: { users: [ADMIN], groups: [ONCALL_GROUP], channels: [OPS_CHANNEL, RESULTS_CHANNEL] },
      },
      confirmation: { expiresAfterSeconds: 60, requireSecondPerson: opts.requireSecondPerson ?? false },
      ...opts.extraConfig,
    },
    join(clusterDir, 'rmq-bot.yaml'),
    { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET },
  );
  const state: FakeActionState = { runs: [], restartGate: undefined, logLines: 10 };
  const audit = new MemoryAudit();
  const logger = new CapturingLogger();
  let offset = 0;
  const bot = buildBotApp(
    config,
    {
      // the real pipeline (prepare, lock, audit, execute) over actions whose run() is in memory;
      // one memory sink for cluster and bot lines keeps their order for the assertions
      ops: opts.ops?.(state, audit) ?? new OpsCore({ actions: (opts.actions ?? fakeActions)(state), audit: { sink: audit }, lock: new MemoryLock(), now: () => Date.now() + offset }),
      audit,
      now: () => Date.now() + offset,
    },
    { logger, slackApiUrl: api.apiUrl, clientOptions: { retryConfig: { retries: 0 } }, watchTimers: opts.watchTimers ?? false },
  );
  let started: { port: number | undefined };
  try {
    started = await bot.start({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await api.close();
    throw error;
  }
  const url = `http://127.0.0.1:${started.port}/slack/events`;
  return {
    api, bot, audit, state, logger, url, clusterDir,
    advance: (ms) => void (offset += ms),
    slash: (user, text, channel = OPS_CHANNEL, sign = {}) =>
      postSigned(url, SIGNING_SECRET, slashBody({ user_id: user, channel_id: channel, text, response_url: api.responseUrl() }), sign),
    click: (user, actionId, value, messageTs, channel = OPS_CHANNEL) =>
      postSigned(url, SIGNING_SECRET, buttonBody({ user_id: user, channel_id: channel, message_ts: messageTs, action_id: actionId, value, response_url: api.responseUrl() })),
    async close() {
      try {
        await bot.stop();
      } finally {
        await api.close();
        await rm(clusterDir, { recursive: true, force: true });
      }
    },
  };
}
