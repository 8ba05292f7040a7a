import { CATALOG_ENTRIES } from '../ops/catalog.js';
import type { BuildOptions } from './app.js';
import { loadBotConfig } from './config.js';
import type { BotDeps } from './ports.js';

export { botConfigJsonSchema } from './config-json-schema.js';

/**
 * How `rmq-compose bot` ends (README, "Stopping"): 0 when it stopped as asked, also when the grace
 * (stopGraceSeconds) ran out with a command still running (a stop that was asked for is not a
 * failure to a supervisor; the log line names what was cut off); 128 + the signal's
 * number (130 SIGINT, 143 SIGTERM, as a shell reports a killed program) when a second signal cut
 * the grace short.
 */
export const BOT_EXIT = { stopped: 0, graceRanOut: 0, SIGINT: 130, SIGTERM: 143 } as const;

type StopSignal = 'SIGINT' | 'SIGTERM';

export interface StartOptions extends BuildOptions {
  /** Ends the process (default process.exit): the bot leaves no retry or timer to wait for. */
  exit?: (code: number) => void;
}

/**
 * `rmq-compose bot --config <file>`: load and check the configuration (throws BotConfigError, a
 * UserError, listing every problem in one round: the file, the action names its rules use, every
 * cluster folder, the environment), connect to Slack, run until SIGINT/SIGTERM. Then: no new
 * requests, the watcher stops, running actions stop at their next safe step within the grace,
 * Web API calls are abandoned, and the process exits (BOT_EXIT); a second signal exits at once.
 */
export async function startBot(configPath: string, deps?: BotDeps, options: StartOptions = {}): Promise<void> {
  const config = await loadBotConfig(configPath, process.env, { actions: deps?.ops.entries() ?? CATALOG_ENTRIES });
  // loaded only now: `rmq-compose bot schema` (this module too) must not pay for Bolt
  const [{ buildBotApp }, { createOpsDeps }] = await Promise.all([import('./app.js'), import('./ops-wiring.js')]);
  const bot = buildBotApp(config, deps ?? createOpsDeps(config), options);
  const logger = bot.runtime.logger;
  const exit = options.exit ?? ((code: number) => process.exit(code));

  // Listening from the start: a bot still connecting (Socket Mode, Slack out of reach) stops too.
  const run: { stopped?: Promise<number> } = {};
  let signalled!: () => void;
  const stopping = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = (signal: StopSignal) => {
    if (run.stopped) {
      logger.warn(`${signal} again: exiting at once (code ${BOT_EXIT[signal]}); what was still running is cut off`);
      exit(BOT_EXIT[signal]);
      return;
    }
    const grace = config.stopGraceSeconds;
    logger.info(`${signal}: stopping: no new requests; running commands get up to ${grace}s to stop at their next safe step (${signal} again exits at once)`);
    run.stopped = bot.stop({ reason: `the bot is stopping (${signal})` }).then(({ finished, left }) => {
      if (finished) {
        logger.info('stopped');
        return BOT_EXIT.stopped;
      }
      logger.warn(
        `stopped: the grace of ${grace}s ran out with ${left} command(s) still running; they are cut off (each cluster's audit.log shows what started)`,
      );
      return BOT_EXIT.graceRanOut;
    });
    signalled();
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  try {
    const starting = bot.start();
    // a start the stop cut short may fail after it: nothing to say then
    starting.catch(() => undefined);
    const started = await Promise.race([starting, stopping.then(() => undefined)]);
    if (started) {
      const clusters = Object.keys(config.clusters).join(', ');
      logger.info(
        config.mode === 'socket'
          ? `rmq bot connected (Socket Mode); clusters: ${clusters}`
          : `rmq bot listening on port ${started.port}${config.http.path}; clusters: ${clusters}`,
      );
    }
  } catch (error) {
    // start failed on its own (a port in use, Slack refusing the app token): said by the CLI
    if (!run.stopped) {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      await bot.stop({ graceMs: 0 });
      throw error;
    }
    logger.debug(`start ended by the stop: ${String(error)}`);
  }
  await stopping;
  const code = (await run.stopped) ?? BOT_EXIT.stopped;
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  exit(code);
}
