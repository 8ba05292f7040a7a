import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complete, formatCompletion } from '../../../cli/completion.js';
import { buildProgram } from '../../../cli/program.js';
import { CATALOG_ENTRIES } from '../../../ops/catalog.js';
import { fakeManifest, writeFakeCluster } from '../../support/memory-ops.js';

/** `rmq-compose __complete <words…>` in process: what a Tab offers after `words` (the last is being typed). */
let cwd: string;
const program = buildProgram();
const tab = (...words: string[]) => complete(program, words, cwd);
const candidates = (...words: string[]) => tab(...words).candidates;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rmq-compose-completion-'));
  await mkdir(join(cwd, 'compose', 'blue', 'backups'), { recursive: true });
  await writeFakeCluster(join(cwd, 'compose', 'blue'), fakeManifest('blue'));
  await writeFile(join(cwd, 'compose', 'blue', 'backups', 'definitions-20261201T080000Z.json'), '{}');
  await writeFile(join(cwd, 'compose', 'blue', 'backups', 'notes.txt'), '');
  // not a cluster: no manifest
  await mkdir(join(cwd, 'compose', 'scratch'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('shell completion answers', () => {
  test('commands: every visible one, none hidden; by prefix', () => {
    expect(candidates('')).toEqual(['gen', 'init', 'validate', 'schema', ...CATALOG_ENTRIES.map((e) => e.name), 'bot', 'completion', 'help']);
    expect(candidates('re')).toEqual(['restart', 'revive', 'rebalance', 'restore']);
    expect(candidates('-')).toEqual(['-V', '--version', '-h', '--help']);
    expect(candidates('help', 'ch')).toEqual(['check']);
    expect(candidates('nope', '')).toEqual([]);
  });

  test("an action's flags: its own first, then the common ones; --yes only where it asks; none twice", () => {
    expect(candidates('join', 'rabbit2', '--')).toEqual(['--dir', '--json', '--yes', '--ram', '--disc', '--to', '--help']);
    expect(candidates('logs', '-')).toEqual(['-d', '--dir', '--json', '--tail', '-h', '--help']);
    expect(candidates('join', 'rabbit2', '--ram', '--json', '--')).toEqual(['--dir', '--yes', '--disc', '--to', '--help']);
    expect(candidates('status', '--y')).toEqual([]);
  });

  test("node names from the only cluster under ./compose/, or -d's; --to leaves out the node being joined", () => {
    expect(candidates('join', '')).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    expect(candidates('join', 'rabbit2', '--to', '')).toEqual(['rabbit1', 'rabbit3']);
    expect(candidates('rotate-certs', '--node', 'rab')).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    expect(candidates('logs', '-d', join(cwd, 'compose', 'blue'), 'rabbit1', '--tail', '')).toEqual([]);
    expect(candidates('drain', '--dir', 'compose/blue', 'r')).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    expect(candidates('drain', '--dir=compose/scratch', '')).toEqual([]);
  });

  test("-d: the cluster folders, and the shell's folders; files for file options", () => {
    expect(tab('status', '-d', '')).toEqual({ candidates: ['compose/blue'], paths: 'dirs' });
    expect(tab('validate', '-f', '')).toEqual({ candidates: [], paths: 'files' });
    expect(tab('gen', '--out', '')).toEqual({ candidates: [], paths: 'dirs' });
    expect(formatCompletion(tab('status', '-d', ''))).toBe('compose/blue\n:dirs\n');
  });

  test('the words an action takes: backups for restore, subcommands, choices', () => {
    expect(candidates('restore', '')).toEqual(['definitions-20261201T080000Z.json', 'latest']);
    expect(candidates('mirror-policy', '')).toEqual(['list', 'set', 'clear']);
    expect(candidates('mirror-policy', 'set', 'ha-all', '^', '')).toEqual(['all', 'exactly']);
    expect(candidates('mirror-policy', 'set', 'ha-all', '^', 'all', '--sync', '')).toEqual(['automatic', 'manual']);
    expect(candidates('migrate', 'r')).toEqual(['rollback', 'retire']);
    expect(candidates('completion', '')).toEqual(['bash', 'zsh']);
    expect(candidates('upgrade', '--to', '')).toEqual([]);
  });

  test('a manifest that does not validate offers no node names', async () => {
    const other = await mkdtemp(join(tmpdir(), 'rmq-compose-completion-'));
    try {
      await writeFile(join(other, 'rmq-compose.json'), JSON.stringify({ ...fakeManifest(), nodes: [{ name: '$(id)' }] }));
      expect(candidates('join', '-d', other, '')).toEqual([]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
