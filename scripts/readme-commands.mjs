// The README's commands table, made from the code: the action catalog (ops/catalog.ts: name,
// usage, summary, mutating, dangerous) and the CLI's own commands (gen, init, validate, schema,
// completion, bot and bot schema, as cli/program.ts registers them). `node scripts/readme-commands.mjs` rewrites the table
// between the markers after `npm run build` (it reads the compiled dist/); `--check` only says
// whether it is current. test/integration/cli/readme-commands.test.ts fails when it is not.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const START = '<!-- commands:start -->';
export const END = '<!-- commands:end -->';

/** The CLI's own commands (not the catalog's actions): first the file commands, the bot last. */
export const CLI_COMMANDS = ['gen', 'init', 'validate', 'schema', 'completion'];
export const BOT_COMMANDS = ['bot', 'bot schema'];

/** Rows for commands ("bot schema": a subcommand) of a commander program they were registered on. */
export function cliRows(program, names = CLI_COMMANDS) {
  return names.map((path) => {
    let command = program;
    for (const name of path.split(' ')) {
      command = command.commands.find((c) => c.name() === name);
      if (!command) throw new Error(`no "${path}" command registered`);
    }
    const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`));
    const options = command.options
      .filter((o) => !o.hidden)
      .map((o) => {
        const value = /[<[][^>\]]+[>\]]/.exec(o.flags)?.[0];
        return `[${o.short ?? o.long}${value ? ` ${value}` : ''}]`;
      });
    return { usage: [path, ...args, ...options].join(' '), summary: command.description() };
  });
}

/** "yes", "no", or the subcommands that change the cluster when that depends on them (mirror-policy). */
function changes(entry) {
  if (!entry.mutatingFor) return entry.mutating ? 'yes' : 'no';
  if (dryRunReadsOnly(entry)) return 'yes, not with `--dry-run`';
  const subcommands = entry.usage
    .split(' | ')
    .map((alternative) => alternative.trim().split(/\s+/))
    .map((words) => (words[0] === entry.name ? words[1] : words[0]))
    .filter((word) => word !== undefined && /^[a-z]/.test(word));
  const mutating = subcommands.filter((word) => entry.mutatingFor([word]));
  return mutating.length === 0 ? 'no' : `${mutating.map((w) => `\`${w}\``).join(', ')} only`;
}

/** upgrade, rotate-certs: a dry run changes nothing and is never asked about (ops/plan/). */
const dryRunReadsOnly = (entry) => entry.mutatingFor !== undefined && entry.mutatingFor([]) && !entry.mutatingFor(['--dry-run']);
const asks = (entry) => (entry.dangerous ? (dryRunReadsOnly(entry) ? 'yes, not with `--dry-run`' : 'yes') : 'no');

const cell = (text) => text.replaceAll('|', '\\|');
const code = (text) => `\`rmq-compose ${cell(text)}\``;

/** The markdown table: the CLI's commands, every catalog action in catalog order, the bot. */
export function commandsTable(entries, cli, bot) {
  const row = (c) => `| ${code(c.usage)} | ${cell(c.summary)} | — | — |`;
  const rows = [
    '| command | what it does | changes the cluster | asks first |',
    '|---|---|---|---|',
    ...cli.map(row),
    ...entries.map((e) => `| ${code(e.usage)} | ${cell(e.summary)} | ${changes(e)} | ${asks(e)} |`),
    ...bot.map(row),
  ];
  return `${rows.join('\n')}\n`;
}

/** The README with `table` between the markers (each on its own line). */
export function withCommandsTable(readme, table) {
  const start = readme.indexOf(`${START}\n`);
  const end = readme.indexOf(END, start);
  if (start < 0 || end < 0) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length + 1)}${table}${readme.slice(end)}`;
}

/** The table as it stands in the README. */
export function currentCommandsTable(readme) {
  const start = readme.indexOf(`${START}\n`);
  const end = readme.indexOf(END, start);
  if (start < 0 || end < 0) return undefined;
  return readme.slice(start + START.length + 1, end);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dist = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
  const { CATALOG_ENTRIES } = await dist('ops/catalog.js');
  const program = (await dist('cli/program.js')).buildProgram();
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const next = withCommandsTable(readme, commandsTable(CATALOG_ENTRIES, cliRows(program), cliRows(program, BOT_COMMANDS)));
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md: the commands table differs from the catalog; run `npm run build && node scripts/readme-commands.mjs`');
      process.exitCode = 1;
    }
  } else if (next !== readme) {
    writeFileSync(path, next);
    console.log('README.md: commands table rewritten');
  } else {
    console.log('README.md: commands table up to date');
  }
}
