import type { Command } from 'commander';
import { argumentUsage, CATALOG_ENTRIES } from '../ops/catalog.js';
import type { OpsCliOptions } from './commands/ops-run.js';

/**
 * The operations commands, one per catalog entry. The catalog is data only, so `--help` loads
 * no ops code; the words after the command name go to the action's own parser unchanged (the
 * same parser the Slack bot uses).
 */
export function registerOpsCommands(program: Command): void {
  for (const entry of CATALOG_ENTRIES) {
    const args = argumentUsage(entry);
    program
      .command(entry.name)
      .usage(`${args ? `${args} ` : ''}[-d <cluster dir>] [--json] [--yes]`)
      .description(entry.summary)
      .argument('[args...]')
      // action options (--ram, --tail …) pass through to the action's parser
      .allowUnknownOption(true)
      .option('-d, --dir <dir>', 'generated cluster folder (default: the only cluster under ./compose/)')
      .option('--json', 'print the result data as JSON')
      .option('-y, --yes', 'do not ask before dangerous actions (required when stdin is not a terminal)')
      .option('--audit <file>', 'audit log (default: <cluster dir>/audit.log)')
      .action(async (words: string[], options: OpsCliOptions) => {
        // loaded on use: `rmq-compose --help` and `gen` must not load the operations core
        const { runOpsCommand } = await import('./commands/ops-run.js');
        process.exitCode = await runOpsCommand(entry.name, words, options);
      });
  }
}
