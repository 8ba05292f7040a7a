// Types of scripts/readme-commands.mjs, for the test that imports it.
import type { Command } from 'commander';
import type { CatalogEntry } from '../ops/catalog.js';

export declare const START: string;
export declare const END: string;
export interface CommandRow {
  usage: string;
  summary: string;
}
export declare const CLI_COMMANDS: readonly string[];
export declare const BOT_COMMANDS: readonly string[];
export declare function cliRows(program: Command, names?: readonly string[]): CommandRow[];
export declare function commandsTable(entries: readonly CatalogEntry[], cli: readonly CommandRow[], bot: readonly CommandRow[]): string;
export declare function withCommandsTable(readme: string, table: string): string;
export declare function currentCommandsTable(readme: string): string | undefined;
