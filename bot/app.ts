import type { AddressInfo } from 'node:net';
import { App, webApi, type Logger, type RespondFn } from '@slack/bolt';
import { CancelledError, RequestRunner } from '../ops/index.js';
import { slackPolicy } from './authorization-policy.js';
import { Authorizer } from './authorize.js';
import { checkConfigAgainstActions, type BotConfig } from './config.js';
import { PendingConfirmations } from './confirmations.js';
import { handleAlertRun } from './handle-alert-button.js';
import { handleAlertWords } from './handle-alert-words.js';
import { handleCancel, handleConfirm } from './handle-confirm.js';
import { handleSlash } from './handle-slash.js';
import { RedactingLogger, StderrLogger } from './logger.js';
import type { BotDeps } from './ports.js';
import { createReceiver } from './receiver.js';
import { Redactor } from './redactor.js';
import { flowChartOfSamples } from './render/flow-chart.js';
import { ALERT_ACK_ACTION_ID, ALERT_RUN_ACTION_PREFIX } from './render/alert-blocks.js';
import { CANCEL_ACTION_ID, CONFIRM_ACTION_ID } from './render/confirm-blocks.js';
import type { RenderedMessage } from './render/result-blocks.js';
import { slackActor, type BotRuntime, type Reply } from './runtime.js';
import { deepRedact, SlackOut } from './slack-out.js';
import { Watcher } from './watch/watcher.js';
import { checkWebApi, QuietRetriesLogger, WebApiControl } from './web-api-control.js';
import { systemClock } from '../lib/clock.js';

export interface BuildOptions {
  logger?: Logger;
  /** Web API base URL, e.g. http://127.0.0.1:PORT/api/ for a local fake. Overrides the config. */
  slackApiUrl?: string;
  /** Extra WebClient options (tests turn retries off). */
  clientOptions?: webApi.WebClientOptions;
  /** Start the watcher's timers with the app (default true; tests drive polls with watcher.pollNow). */
  watchTimers?: boolean;
}

export interface StopOptions {
  /** How long running commands may take to end; default: the config's stopGraceSeconds. */
  graceMs?: number;
  /** Why, for the outcome of the actions it stops, e.g. "the bot is stopping (SIGTERM)". */
  reason?: string;
}

export interface StopOutcome {
  /** false: the grace ran out with commands still running (they were let go). */
  finished: boolean;
  /** How many commands were still running then. */
  left: number;
}

/** Web API calls at start-up wait this long for an answer. */
const START_CHECK_TIMEOUT_MS = 10_000;

export interface BotApp {
  app: App;
  runtime: BotRuntime;
  /** Socket Mode: connects. HTTP: listens; resolves with the bound port. */
  start(listen?: { port?: number; host?: string }): Promise<{ port: number | undefined }>;
  /**
   * Stops receiving and the watcher, tells running actions to stop at their next safe step (their
   * ExecuteOptions.signal), waits for running commands up to the grace, then abandons every Web
   * API call still in flight or waiting to be retried. Never throws.
   */
  stop(options?: StopOptions): Promise<StopOutcome>;
  /** Resolves when no command is being processed (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/**
 * The Bolt app from a validated config and the ops core. Listeners stay thin: ack() first, always
 * (Slack wants it within 3 s), then hand over to the flows, tracked so that stop() can wait.
 */
export function buildBotApp(config: BotConfig, deps: BotDeps, options: BuildOptions = {}): BotApp {
  checkConfigAgainstActions(config, deps.ops.entries());
  const redactor = new Redactor(config.secrets.all());
  const logger = new RedactingLogger(options.logger ?? new StderrLogger(config.logLevel), redactor.apply);
  const slackApiUrl = options.slackApiUrl ?? config.slackApiUrl;
  const web = new WebApiControl();
  const clientOptions = web.clientOptions({ ...(slackApiUrl ? { slackApiUrl } : {}), ...options.clientOptions });
  // Bolt hands its logger to every WebClient it makes: their per-attempt retry warnings go to debug
  const boltLogger = new QuietRetriesLogger(logger);
  const receiver = createReceiver(config, boltLogger, clientOptions);
  const app = new App({ token: config.secrets.botToken, receiver, logger: boltLogger, clientOptions });
  const now = deps.now ?? systemClock;
  const stopping = new AbortController();

  const inflight = new Set<Promise<unknown>>();
  const authorizer = new Authorizer(config.authorization, async (usergroup) => (await app.client.usergroups.users.list({ usergroup })).users ?? [], now);
  const runtime: BotRuntime = {
    config,
    deps,
    // the one request path, with Slack's ports; lines about no cluster go to config.auditLog, masked with every secret the bot knows
    runner: new RequestRunner({
      core: deps.ops,
      policy: slackPolicy(authorizer),
      ownLog: deps.audit,
      secrets: redactor.values,
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    }),
    logger,
    now,
    redactor,
    stopping: stopping.signal,
    out: new SlackOut(app.client, redactor.apply),
    pending: new PendingConfirmations(config.confirmation.expiresAfterSeconds * 1000, config.confirmation.requireSecondPerson, now),
    authorizer,
    track(work) {
      const p = work.catch((error: unknown) => logger.error(`unhandled bot error: ${String(error)}`)).finally(() => inflight.delete(p));
      inflight.add(p);
    },
  };

  if (config.watch) {
    runtime.watcher = new Watcher({
      clusters: config.clusters,
      watch: config.watch,
      observe: (dir, o) => deps.ops.observe(dir, o),
      runs: (action) => deps.ops.entry(action) !== undefined,
      out: runtime.out,
      command: config.command,
      logger,
      now,
      chart: flowChartOfSamples,
    });
  }

  const replyVia =
    (respond: RespondFn): Reply =>
    async (msg: RenderedMessage, visibility = 'ephemeral') => {
      const clean = deepRedact(msg, redactor.apply);
      await respond({ response_type: visibility, replace_original: false, text: clean.text, blocks: clean.blocks });
    };

  app.command(config.command, async ({ command, ack, respond }) => {
    await ack();
    runtime.track(
      handleSlash(runtime, { userId: command.user_id, userName: command.user_name, channel: command.channel_id, text: command.text, reply: replyVia(respond) }),
    );
  });

  for (const [actionId, handler] of [
    [CONFIRM_ACTION_ID, handleConfirm],
    [CANCEL_ACTION_ID, handleCancel],
  ] as const) {
    app.action({ type: 'block_actions', action_id: actionId }, async ({ ack, body, action, respond }) => {
      await ack();
      const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
      runtime.track(
        handler(runtime, {
          userId: body.user.id,
          userName: body.user.name ?? body.user.username,
          channel: body.channel?.id ?? body.container?.channel_id ?? '',
          messageTs: body.message?.ts ?? body.container?.message_ts,
          pendingId: value,
          reply: replyVia(respond),
        }),
      );
    });
  }

  app.action({ type: 'block_actions', action_id: new RegExp(`^${ALERT_RUN_ACTION_PREFIX}\\d+$`) }, async ({ ack, body, action, respond }) => {
    await ack();
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    runtime.track(
      handleAlertRun(runtime, {
        userId: body.user.id,
        userName: body.user.name ?? body.user.username,
        channel: body.channel?.id ?? body.container?.channel_id ?? '',
        value,
        reply: replyVia(respond),
      }),
    );
  });
  app.action({ type: 'block_actions', action_id: ALERT_ACK_ACTION_ID }, async ({ ack, body, action, respond }) => {
    await ack();
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const channel = body.channel?.id ?? body.container?.channel_id ?? '';
    runtime.track(
      handleAlertWords(runtime, {
        actor: slackActor(body.user.id, body.user.name ?? body.user.username, channel),
        word: 'ack',
        args: [value],
        channel,
        startedAt: now(),
        reply: replyVia(respond),
      }),
    );
  });

  app.error(async (error) => {
    logger.error(`bolt error: ${error.stack ?? error.message}`);
  });

  const checkSlack = async (): Promise<void> => {
    const probe = new webApi.WebClient(config.secrets.botToken, {
      ...clientOptions,
      retryConfig: { retries: 0 },
      timeout: START_CHECK_TIMEOUT_MS,
      logger: boltLogger,
    });
    const problem = await checkWebApi(probe);
    if (problem === undefined || web.abandoned) return;
    const where = slackApiUrl ?? 'https://slack.com/api/';
    logger.error(`Slack's Web API at ${where} ${problem}`);
  };

  const idle = async (): Promise<void> => {
    while (inflight.size > 0) await Promise.all([...inflight]);
  };

  return {
    app,
    runtime,
    async start(listen) {
      // every cluster's secrets before the first command: a cookie typed as an argument is masked from the start
      for (const dir of Object.values(config.clusters)) redactor.add(await deps.ops.secretsOf(dir));
      if (options.watchTimers !== false) runtime.watcher?.start();
      // Said once, at once, when Slack cannot be reached (one try; Bolt's own auth.test and
      // Socket Mode's connection retry quietly in the background)
      const checked = checkSlack().catch((error: unknown) => logger.debug(`Web API check failed: ${String(error)}`));
      try {
        if (config.mode === 'socket') {
          await app.start();
          return { port: undefined };
        }
        const server = await app.start({ port: listen?.port ?? config.http.port, host: listen?.host ?? config.http.host });
        return { port: (server.address() as AddressInfo | null)?.port };
      } finally {
        await checked;
      }
    },
    async stop(stopOptions = {}) {
      const graceMs = stopOptions.graceMs ?? config.stopGraceSeconds * 1000;
      const reason = stopOptions.reason ?? 'the bot is stopping';
      stopping.abort(new CancelledError(`${reason}: stopped at its next safe step, before it was done; run it again to carry on`));
      web.stopRetrying();
      const settle = (what: string, work: Promise<unknown> | undefined) => work?.catch((error: unknown) => logger.debug(`${what} on stop: ${String(error)}`));
      const ended = (async () => {
        // an app that never started cannot be stopped (Bolt throws): nothing to wait for then
        await Promise.all([settle('watcher', runtime.watcher?.stop()), settle('receiver', app.stop())]);
        await idle();
        return true;
      })();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
      const finished = await Promise.race([ended, graceOver]);
      clearTimeout(timer);
      web.abandon();
      return { finished, left: inflight.size };
    },
    idle,
  };
}
