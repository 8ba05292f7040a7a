import { Command } from 'commander';
import { paint, stderrColour } from './colour.js';
import { registerCompletion } from './commands/completion.js';
import { registerGen } from './commands/gen.js';
import { registerInit } from './commands/init.js';
import { registerSchema } from './commands/schema.js';
import { registerValidate } from './commands/validate.js';
import { registerOpsCommands } from './ops-commands.js';
import { packageVersion } from './version.js';

/** Every command and option of `rmq-compose`: what main parses, and what shell completion offers. */
export function buildProgram(): Command {
  const program = new Command('rmq-compose')
    .description('One YAML cluster spec in, a highly available RabbitMQ cluster out; and the actions to run it.')
    .version(packageVersion(), '-V, --version', 'print the version of rmq-compose')
    // the program's own options (--version, --help) only before the command: `upgrade --version 4.4.1` is upgrade's
    .enablePositionalOptions()
    .showHelpAfterError('(run rmq-compose --help for usage)')
    // commander's own errors (unknown option, missing argument) get the same red `error:` as ours
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error:/, paint('error:', 'red', stderrColour()))) });

  registerGen(program);
  registerInit(program);
  registerValidate(program);
  registerSchema(program);
  registerOpsCommands(program);
  const bot = program
    .command('bot')
    .description('run the Slack bot (/rmq …)')
    .option('-c, --config <file>', 'bot configuration file', 'rmq-bot.yaml')
    .action(async (options: { config: string }) => {
      // loaded only here: the bot pulls in Bolt, which `gen` must not pay for
      const { startBot } = await import('../bot/main.js');
      await startBot(options.config);
    });
  bot
    .command('schema')
    .description('print the JSON Schema of the bot configuration (rmq-bot.yaml), for editor completion')
    .action(async () => {
      const { botConfigJsonSchema } = await import('../bot/main.js');
      process.stdout.write(`${JSON.stringify(botConfigJsonSchema(), null, 2)}\n`);
    });
  registerCompletion(program);
  return program;
}
