#!/usr/bin/env node
import { Command } from 'commander';
import { systemClock } from '../lib/clock.js';
import { isUserError } from '../lib/errors.js';
import { registerGen } from './commands/gen.js';
import { registerInit } from './commands/init.js';
import { registerSchema } from './commands/schema.js';
import { registerValidate } from './commands/validate.js';
import { registerOpsCommands } from './ops-commands.js';

const program = new Command('rmq-compose')
  .description('One YAML cluster spec in, a highly available RabbitMQ cluster out; and the actions to run it.')
  .showHelpAfterError('(run rmq-compose --help for usage)');

registerGen(program);
registerInit(program);
registerValidate(program);
registerSchema(program);
registerOpsCommands(program);
program
  .command('bot')
  .description('run the Slack bot (/rmq …)')
  .option('-c, --config <file>', 'bot configuration file', 'rmq-bot.yaml')
  .action(async (options: { config: string }) => {
    // loaded only here: the bot pulls in Bolt, which `gen` must not pay for
    const { startBot } = await import('../bot/main.js');
    await startBot(options.config);
  });

// One place turns errors into exit codes: user errors are shown as written, anything else is a bug.
try {
  // a bad RMQ_COMPOSE_NOW is refused before any command runs, not halfway through one
  systemClock();
  await program.parseAsync(process.argv);
} catch (error) {
  if (isUserError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`rmq-compose: unexpected error (a bug; please report it with this text):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  }
}
