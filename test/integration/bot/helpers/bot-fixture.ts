import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, LogLevel } from '@slack/bolt';
import { buildBotApp, type BotApp } from '../../../../bot/app.js';
import { parseBotConfig } from '../../../../bot/config.js';
import { OpsCore, type ActionDefinition } from '../../../../ops/index.js';
import { FakeSlackApi } from '../../../support/fake-slack-api.js';
import { FakeSocketMode } from '../../../support/fake-socket-mode.js';
import { fakeManifest, MemoryAudit, MemoryLock, writeFakeCluster } from '../../../support/memory-ops.js';
import {
  buttonBody,
  buttonPayload,
  postSigned,
  slashBody,
  slashPayload,
  type ButtonClick,
  type PostResult,
  type SignOptions,
  type SlashFields,
} from '../../../support/signed-request.js';
import { APP_TOKEN, BOT_TOKEN, CLUSTER_COOKIE, CLUSTER_PASSWORD, fakeActions, SIGNING_SECRET, type FakeActionState } from './fake-actions.js';

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
  debug(...m: unknown[]): void {
    this.lines.push(`DEBUG ${m.join(' ')}`);
  }
  info(...m: unknown[]): void {
    this.lines.push(`INFO ${m.join(' ')}`);
  }
  warn(...m: unknown[]): void {
    this.lines.push(`WARN ${m.join(' ')}`);
  }
  error(...m: unknown[]): void {
    this.lines.push(`ERROR ${m.join(' ')}`);
  }
  setLevel(l: LogLevel): void {
    this.#level = l;
  }
  getLevel(): LogLevel {
    return this.#level;
  }
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
  /**
   * How Slack reaches the bot: `http` (default) signed POSTs to the HTTP receiver; `socket`
   * Socket Mode, the envelopes coming over a local WebSocket (test/support/fake-socket-mode.ts).
   */
  mode?: 'http' | 'socket';
}

export interface BotFixture {
  api: FakeSlackApi;
  bot: BotApp;
  audit: MemoryAudit;
  state: FakeActionState;
  logger: CapturingLogger;
  /** The HTTP receiver's URL (empty in Socket Mode). */
  url: string;
  /** Socket Mode only: the fake Slack end of the WebSocket. */
  socket: FakeSocketMode | undefined;
  clusterDir: string;
  /** Moves the bot's clock (confirmation expiry) without waiting. */
  advance(ms: number): void;
  /** HTTP: a signed POST (status 200 is the ack). Socket Mode: an envelope, rejected unless acked within 3 s. */
  slash(user: string, text: string, channel?: string, sign?: SignOptions): Promise<PostResult>;
  click(user: string, actionId: string, value: string, messageTs: string, channel?: string): Promise<PostResult>;
  close(): Promise<void>;
}

/**
 * A real Bolt app on the HTTP receiver (127.0.0.1, random port), or in Socket Mode on a local fake
 * Socket Mode server, talking to a local fake Web API.
 */
export async function startBotFixture(opts: FixtureOptions = {}): Promise<BotFixture> {
  const api = await new FakeSlackApi().start();
  const socket = opts.mode === 'socket' ? await new FakeSocketMode().start() : undefined;
  if (socket) api.socketUrl = () => socket.nextUrl();
  // Real cluster folders (manifest and .env) read by the real loader, so the bot learns the
  // password and cookie it must never show, at start-up.
  const clusterDir = await mkdtemp(join(tmpdir(), 'rmq-bot-'));
  const otherDir = join(clusterDir, 'other');
  await mkdir(otherDir);
  await writeFakeCluster(clusterDir, fakeManifest('seed'), `RABBITMQ_DEFAULT_PASS=${CLUSTER_PASSWORD}\nRABBITMQ_ERLANG_COOKIE="${CLUSTER_COOKIE}"\n`);
  await writeFakeCluster(otherDir, fakeManifest('other'));
  const config = parseBotConfig(
    {
      mode: opts.mode ?? 'http',
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
    socket ? { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET },
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
      ops:
        opts.ops?.(state, audit) ??
        new OpsCore({ actions: (opts.actions ?? fakeActions)(state), audit: { sink: audit }, lock: new MemoryLock(), now: () => Date.now() + offset }),
      audit,
      now: () => Date.now() + offset,
    },
    { logger, slackApiUrl: api.apiUrl, clientOptions: { retryConfig: { retries: 0 } }, watchTimers: opts.watchTimers ?? false },
  );
  let started: { port: number | undefined };
  try {
    started = await bot.start({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await bot.stop().catch(() => undefined);
    await socket?.close();
    await api.close();
    await rm(clusterDir, { recursive: true, force: true });
    throw error;
  }
  const url = socket ? '' : `http://127.0.0.1:${started.port}/slack/events`;
  // an ack over the socket as the HTTP receiver's 200 would say it
  const viaSocket = async (type: 'slash_commands' | 'interactive', payload: Record<string, unknown>): Promise<PostResult> => {
    const ack = await socket!.deliver(type, payload);
    return { status: 200, body: JSON.stringify(ack.payload ?? {}), ms: ack.ms };
  };
  const slashFields = (user: string, text: string, channel: string): SlashFields => ({
    user_id: user,
    channel_id: channel,
    text,
    response_url: api.responseUrl(),
  });
  const clickFields = (user: string, actionId: string, value: string, messageTs: string, channel: string): ButtonClick => ({
    user_id: user,
    channel_id: channel,
    message_ts: messageTs,
    action_id: actionId,
    value,
    response_url: api.responseUrl(),
  });
  return {
    api,
    bot,
    audit,
    state,
    logger,
    url,
    clusterDir,
    socket,
    advance: (ms) => void (offset += ms),
    slash: (user, text, channel = OPS_CHANNEL, sign = {}) =>
      socket
        ? viaSocket('slash_commands', slashPayload(slashFields(user, text, channel)))
        : postSigned(url, SIGNING_SECRET, slashBody(slashFields(user, text, channel)), sign),
    click: (user, actionId, value, messageTs, channel = OPS_CHANNEL) =>
      socket
        ? viaSocket('interactive', buttonPayload(clickFields(user, actionId, value, messageTs, channel)))
        : postSigned(url, SIGNING_SECRET, buttonBody(clickFields(user, actionId, value, messageTs, channel))),
    async close() {
      try {
        await bot.stop();
        // Bolt's SocketModeReceiver.stop() resolves before the close handshake ends: cutting the
        // socket then makes an abnormal close, and the client a 30 s timer that outlives the test
        await socket?.waitFor(() => socket.open === 0, 'the bot to close its socket', 3000);
      } finally {
        await socket?.close();
        await api.close();
        await rm(clusterDir, { recursive: true, force: true });
      }
    },
  };
}
