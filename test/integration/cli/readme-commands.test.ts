import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildProgram } from '../../../cli/program.js';
import { packageRoot } from '../../../lib/package-root.js';
import { CATALOG_ENTRIES } from '../../../ops/catalog.js';
import { BOT_COMMANDS, cliRows, commandsTable, currentCommandsTable } from '../../../scripts/readme-commands.mjs';

const readme = () => readFile(join(packageRoot(), 'README.md'), 'utf8');

/** The README is for users; what it says about commands comes from the code. */
describe('README.md', () => {
  test('its commands table is the action catalog and the CLI commands, as scripts/readme-commands.mjs renders them', async () => {
    const program = buildProgram();
    const expected = commandsTable(CATALOG_ENTRIES, cliRows(program), cliRows(program, BOT_COMMANDS));
    const table = currentCommandsTable(await readme());
    // stale: run `npm run build && node scripts/readme-commands.mjs`
    expect(table).toBe(expected);
    for (const entry of CATALOG_ENTRIES) expect(table).toContain(`| \`rmq-compose ${entry.usage.replaceAll('|', '\\|')}\` |`);
    for (const name of ['gen', 'init', 'validate', 'schema', 'completion', 'bot', 'bot schema']) expect(table).toContain(`| \`rmq-compose ${name}`);
  });

  test('starts with the two commands that work on a fresh clone', async () => {
    const text = await readme();
    const first = /```sh\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    const commands = first
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm ci && npx rmq-compose gen', 'npm ci && npm test']);
    // in this order, before anything else
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings.slice(0, 4)).toEqual(['Prerequisites', 'Quick start', 'Commands', 'The spec']);
    expect(text.indexOf('```sh')).toBeLessThan(text.indexOf('## Prerequisites'));
  });

  test('developer sections live in docs/, linked from the README', async () => {
    const text = await readme();
    for (const heading of ['## Architecture', '## Tests', '## Benchmarks']) expect(text).not.toContain(`\n${heading}\n`);
    for (const doc of ['docs/architecture.md', 'docs/testing.md', 'docs/benchmarks.md']) {
      expect(text).toContain(`](${doc})`);
      expect(existsSync(join(packageRoot(), doc))).toBe(true);
    }
  });

  test('every relative link and in-page anchor resolves', async () => {
    const text = await readme();
    const anchors = new Set([...text.matchAll(/^#{2,4} (.+)$/gm)].map((m) => slug(m[1]!)));
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      if (target!.startsWith('#')) expect({ target, found: anchors.has(target!.slice(1)) }).toEqual({ target, found: true });
      else expect({ target, found: existsSync(join(packageRoot(), target!.split('#')[0]!)) }).toEqual({ target, found: true });
    }
    // the docs link back, and to each other, by paths that exist too
    for (const doc of ['docs/architecture.md', 'docs/testing.md', 'docs/benchmarks.md']) {
      const body = await readFile(join(packageRoot(), doc), 'utf8');
      for (const [, target] of body.matchAll(/\]\(([^)\s#]+)[^)]*\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        expect({ doc, target, found: existsSync(join(packageRoot(), dirname(doc), target!)) }).toEqual({ doc, target, found: true });
      }
    }
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}
