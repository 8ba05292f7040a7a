import { Help, Option, type Command } from 'commander';
import { argumentUsage, CATALOG_ENTRIES, type CatalogEntry } from '../ops/catalog.js';
import type { OpsCliOptions } from './commands/ops-run.js';

/** Said in the help of every action that never asks: what becomes of a --yes given anyway. */
const YES_IGNORED = 'This action never asks for confirmation: -y/--yes is accepted and ignored,\nso scripts may pass it to every action.';

/**
 * The operations commands, one per catalog entry. The catalog is data only, so `--help` loads
 * no ops code; the words after the command name go to the action's own parser unchanged (the
 * same parser the Slack bot uses), its options too: they are listed in `--help` from the
 * catalog, not declared to commander, which would take them out of the words.
 */
export function registerOpsCommands(program: Command): void {
  for (const entry of CATALOG_ENTRIES) {
    const args = argumentUsage(entry);
    const command = program
      .command(entry.name)
      .usage(`${args ? `${args} ` : ''}[-d <cluster dir>] [--json]${entry.dangerous ? ' [--yes]' : ''}`)
      .description(entry.summary)
      .argument('[args...]')
      // action options (--ram, --tail …) pass through to the action's parser
      .allowUnknownOption(true)
      .option('-d, --dir <dir>', 'generated cluster folder (default: the only cluster under ./compose/)')
      .option('--json', 'print the result data as JSON');
    if (entry.dangerous) {
      command.option('-y, --yes', 'do not ask first (needed when stdin is not a terminal)');
    } else {
      // accepted for scripts that pass --yes to every action; nothing here asks
      command.addOption(new Option('-y, --yes').hideHelp()).addHelpText('after', `\n${YES_IGNORED}`);
    }
    command.configureHelp(withActionOptions(entry)).action(async (words: string[], options: OpsCliOptions) => {
      // loaded on use: `rmq-compose --help` and `gen` must not load the operations core
      const { runOpsCommand } = await import('./commands/ops-run.js');
      process.exitCode = await runOpsCommand(entry.name, words, options);
    });
  }
}

/** Help that lists the action's own options (from the catalog) first, then the ones every action takes. */
function withActionOptions(entry: CatalogEntry): Partial<Help> {
  const own = (entry.options ?? []).map((o) => new Option(o.flags, o.description));
  return {
    visibleOptions(command: Command): Option[] {
      return [...own, ...Help.prototype.visibleOptions.call(this, command)];
    },
  };
}
