import { CATALOG_ENTRIES } from '../ops/catalog.js';
import type { BuildOptions } from './app.js';
import { loadBotConfig } from './config.js';
import type { BotDeps } from './ports.js';

export { botConfigJsonSchema } from './config-json-schema.js';

/**
 * `rmq-compose bot --config <file>`: load and check the configuration (throws BotConfigError, a
 * UserError, listing every problem in one round: the file, the action names its rules use, every
 * cluster folder, the environment), connect to Slack, run until SIGINT/SIGTERM, then stop
 * receiving and let running commands finish before exiting.
 */
export async function startBot(configPath: string, deps?: BotDeps, options: BuildOptions = {}): Promise<void> {
  const config = await loadBotConfig(configPath, process.env, { actions: deps?.ops.entries() ?? CATALOG_ENTRIES });
  // loaded only now: `rmq-compose bot schema` (this module too) must not pay for Bolt
  const [{ buildBotApp }, { createOpsDeps }] = await Promise.all([import('./app.js'), import('./ops-wiring.js')]);
  const bot = buildBotApp(config, deps ?? createOpsDeps(config), options);
  const { port } = await bot.start();
  bot.runtime.logger.info(
    config.mode === 'socket'
      ? `rmq bot connected (Socket Mode); clusters: ${Object.keys(config.clusters).join(', ')}`
      : `rmq bot listening on port ${port}${config.http.path}; clusters: ${Object.keys(config.clusters).join(', ')}`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      bot.runtime.logger.info(`${signal}: stopping; waiting for running commands to finish`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      bot.stop().then(resolve, (error: unknown) => {
        bot.runtime.logger.error(`stop failed: ${String(error)}`);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
