import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authorizer } from '../../../../bot/authorize.js';
import { CATALOG, isMutating } from '../../../../ops/catalog.js';
import { ClusterBusyError, InvalidArgumentError, RefusedError } from '../../../../ops/errors.js';
import { runAction } from '../../../../ops/run-action.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir, clusterStatusJson, COMPOSE_V2, fakeTools, PS, psJson, ScriptedRunner } from '../fake-runner.js';

const R = (n: number) => `rabbit@rabbit${n}`;
const ALL_UP = psJson([
  ['rabbit1', 'running', 'healthy'],
  ['rabbit2', 'running', 'healthy'],
  ['rabbit3', 'running', 'healthy'],
]);
const CLUSTERED = clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] });
const EXPORT = 'exec -T rabbit1 rabbitmqctl -q export_definitions - --format json';
const COPY = /^exec -T rabbit1 install -m 0600 \/dev\/stdin \/tmp\/rmq-compose-definitions-[0-9a-f]{12}\.json$/;
const IMPORT = /^exec -T rabbit1 rabbitmqctl -q import_definitions \/tmp\/rmq-compose-definitions-[0-9a-f]{12}\.json --format json$/;
const REMOVE = /^exec -T rabbit1 rm -f \/tmp\/rmq-compose-definitions-[0-9a-f]{12}\.json$/;
// what 3.10 prints: users with password hashes, one queue, one policy
const DEFINITIONS = {
  rabbit_version: '3.10.8',
  users: [{ name: 'admin', password_hash: 'HASHofTHEpassword', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'] }],
  vhosts: [{ name: '/' }],
  permissions: [{ user: 'admin', vhost: '/', configure: '.*', write: '.*', read: '.*' }],
  policies: [{ vhost: '/', name: 'ha-all', pattern: '^', 'apply-to': 'queues', definition: { 'ha-mode': 'all' }, priority: 0 }],
  queues: [{ name: 'jobs', vhost: '/', durable: true, auto_delete: false, arguments: {} }],
  exchanges: [],
  bindings: [],
};

let dir: string;
beforeEach(async () => {
  dir = await clusterDir(fakeManifest());
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const run = (name: string, argv: string[], runner: ScriptedRunner, lock = new MemoryLock(), now?: number) =>
  runAction(name, argv, {
    dir,
    actor: { via: 'cli', id: 'tester' },
    audit: new MemoryAudit(),
    lock,
    tools: { ...fakeTools(runner), ...(now !== undefined ? { now: () => now } : {}) },
  });
const exporting = () => new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [EXPORT, { stdout: JSON.stringify(DEFINITIONS) }]]);

describe('backup', () => {
  test('writes the export to backups/definitions-<UTC time>.json, mode 0600, and counts what it holds', async () => {
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [EXPORT, { stdout: JSON.stringify(DEFINITIONS) }]]);
    const r = await run('backup', [], runner);
    expect(r.data).toMatchObject({
      file: 'backups/definitions-19700101T000000Z.json',
      counts: { users: 1, vhosts: 1, permissions: 1, policies: 1, queues: 1, exchanges: 0, bindings: 0 },
    });
    const path = join(dir, 'backups', 'definitions-19700101T000000Z.json');
    expect((await lstat(path)).mode & 0o777).toBe(0o600);
    expect((await lstat(join(dir, 'backups'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(DEFINITIONS);
    // the hashes stay in the file
    expect(`${r.headline}\n${r.text}`).not.toContain('HASHofTHEpassword');
  });

  test('a backups folder that is a link out of the cluster folder: refused, nothing written there', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'rmq-outside-'));
    try {
      await symlink(outside, join(dir, 'backups'));
      const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [EXPORT, { stdout: JSON.stringify(DEFINITIONS) }]]);
      await expect(run('backup', [], runner)).rejects.toThrow(/backups is a symbolic link; backups are written and read only in a real folder/);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('backup: the newest N are kept, by a user allowed to change the cluster (issue 19)', () => {
  const at = (day: number) => Date.UTC(2026, 10, day, 10, 15, 0);
  const nameOn = (day: number) => `definitions-202611${String(day).padStart(2, '0')}T101500Z.json`;
  const backups = async () => (await readdir(join(dir, 'backups'))).sort();

  test("mutating in the catalog: the lock is taken, and the bot's readOnly rule does not cover it", async () => {
    expect(isMutating(CATALOG.backup, [])).toBe(true);
    const lock = new MemoryLock();
    await lock.acquire({ dir, manifest: fakeManifest() }, { actor: { via: 'slack', id: 'U1' }, action: 'backup', args: [], since: new Date(0) });
    await expect(run('backup', [], exporting(), lock)).rejects.toBeInstanceOf(ClusterBusyError);
    expect(await readdir(dir)).not.toContain('backups');
    const rule = (users: string[]) => ({ users, groups: [], channels: ['*'] });
    const auth = new Authorizer({ readOnly: rule(['viewer']), mutating: rule(['admin']), actions: {}, groupCacheSeconds: 300 }, async () => []);
    const asks = (user: string) => auth.check({ user, channel: 'C1', action: 'backup', mutating: isMutating(CATALOG.backup, []), cluster: undefined });
    expect((await asks('viewer')).allowed).toBe(false);
    expect((await asks('admin')).allowed).toBe(true);
  });

  test('after a backup, only the N newest of its own files stay (default 10); anything else in the folder is left alone', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'rmq-outside-'));
    try {
      await mkdir(join(dir, 'backups'), { mode: 0o700 });
      for (let day = 1; day <= 12; day++) await writeFile(join(dir, 'backups', nameOn(day)), '{}', { mode: 0o600 });
      // what backup did not write: a link named like a backup (to a file outside), a folder, another file
      await writeFile(join(outside, 'precious.json'), 'keep me');
      await symlink(join(outside, 'precious.json'), join(dir, 'backups', 'definitions-20200101T000000Z.json'));
      await mkdir(join(dir, 'backups', 'definitions-20200102T000000Z.json'));
      await writeFile(join(dir, 'backups', 'notes.txt'), 'mine');
      const r = await run('backup', [], exporting(), new MemoryLock(), at(20));
      expect(r.data).toMatchObject({ file: `backups/${nameOn(20)}`, keep: 10, removed: [1, 2, 3].map((d) => `backups/${nameOn(d)}`) });
      expect(r.text).toContain('removed 3 older backups to keep the 10 newest');
      const left = await backups();
      expect(left.filter((n) => /^definitions-2026/.test(n))).toEqual([...[4, 5, 6, 7, 8, 9, 10, 11, 12].map(nameOn), nameOn(20)]);
      expect(left).toEqual(expect.arrayContaining(['definitions-20200101T000000Z.json', 'definitions-20200102T000000Z.json', 'notes.txt']));
      expect(await readFile(join(outside, 'precious.json'), 'utf8')).toBe('keep me');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  test('--keep N keeps exactly N, the one just written among them even when older ones look newer', async () => {
    await mkdir(join(dir, 'backups'), { mode: 0o700 });
    for (const day of [1, 2, 3, 25, 26]) await writeFile(join(dir, 'backups', nameOn(day)), '{}', { mode: 0o600 });
    // a clock behind the newest names: the new backup still stays
    await run('backup', ['--keep', '3'], exporting(), new MemoryLock(), at(20));
    expect(await backups()).toEqual([nameOn(20), nameOn(25), nameOn(26)]);
    await run('backup', ['--keep=1'], exporting(), new MemoryLock(), at(27));
    expect(await backups()).toEqual([nameOn(27)]);
  });

  test('--keep must be a whole number from 1; refused before anything runs', async () => {
    for (const argv of [['--keep', '0'], ['--keep', 'all'], ['--keep'], ['--keep', '2', 'extra'], ['--tail', '3']]) {
      const runner = exporting();
      await expect(run('backup', argv, runner)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(runner.calls.filter((c) => c.startsWith('exec'))).toEqual([]);
    }
  });

  test('a failed export removes nothing', async () => {
    await mkdir(join(dir, 'backups'), { mode: 0o700 });
    for (let day = 1; day <= 3; day++) await writeFile(join(dir, 'backups', nameOn(day)), '{}', { mode: 0o600 });
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [EXPORT, { exitCode: 70, stderr: 'Error' }]]);
    await expect(run('backup', ['--keep', '1'], runner)).rejects.toThrow(/export_definitions/);
    expect(await backups()).toEqual([1, 2, 3].map(nameOn));
  });
});

describe('restore', () => {
  async function saved(name: string, text: string): Promise<void> {
    await mkdir(join(dir, 'backups'), { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'backups', name), text, { mode: 0o600 });
  }

  test('latest: the newest backup is copied into the container (0600), imported, and the copy removed', async () => {
    await saved('definitions-20261101T000000Z.json', JSON.stringify({ ...DEFINITIONS, queues: [] }));
    await saved('definitions-20261128T101500Z.json', JSON.stringify(DEFINITIONS));
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [PS, ALL_UP],
      [/cluster_status/, CLUSTERED],
      [COPY, { exitCode: 0 }],
      [IMPORT, { exitCode: 0 }],
      [REMOVE, { exitCode: 0 }],
    ]);
    const r = await run('restore', ['latest'], runner);
    expect(r.data).toMatchObject({ file: 'backups/definitions-20261128T101500Z.json', counts: { queues: 1 } });
    const copied = runner.commands[runner.calls.findIndex((c) => COPY.test(c))]!;
    expect(JSON.parse(copied.input!)).toEqual(DEFINITIONS);
    // the same temp file is imported, then removed
    const file = runner.calls
      .find((c) => COPY.test(c))!
      .split(' ')
      .at(-1)!;
    expect(runner.calls.filter((c) => c.endsWith(file) || c.includes(`${file} `))).toHaveLength(3);
  });

  test('the temp copy in the container is removed when the import fails', async () => {
    await saved('definitions-20261128T101500Z.json', JSON.stringify(DEFINITIONS));
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [PS, ALL_UP],
      [/cluster_status/, CLUSTERED],
      [COPY, { exitCode: 0 }],
      [IMPORT, { exitCode: 70, stderr: 'Error: validation failed' }],
      [REMOVE, { exitCode: 0 }],
    ]);
    await expect(run('restore', ['latest'], runner)).rejects.toThrow(/import_definitions \(rabbit1\) exited with code 70/);
    expect(runner.calls.some((c) => REMOVE.test(c))).toBe(true);
  });

  test('names that are not a backup (paths, other files), files that are not definitions: refused before any command', async () => {
    await saved('definitions-20261128T101500Z.json', '{"users": "not a list"}');
    await writeFile(join(dir, 'elsewhere.json'), JSON.stringify(DEFINITIONS));
    for (const name of ['../elsewhere.json', '/etc/passwd', 'elsewhere.json']) {
      const runner = new ScriptedRunner([COMPOSE_V2]);
      await expect(run('restore', [name], runner)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(runner.calls.filter((c) => c.startsWith('exec'))).toEqual([]);
    }
    const runner = new ScriptedRunner([COMPOSE_V2]);
    await expect(run('restore', ['definitions-20261128T101500Z.json'], runner)).rejects.toThrow(/is not a definitions export .*nothing was imported/);
    await expect(run('restore', ['definitions-20200101T000000Z.json'], runner)).rejects.toBeInstanceOf(RefusedError);
    expect(runner.calls.filter((c) => c.startsWith('exec'))).toEqual([]);
  });
});
