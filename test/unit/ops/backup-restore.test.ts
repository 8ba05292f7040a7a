import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, RefusedError } from '../../../ops/errors.js';
import { runAction } from '../../../ops/run-action.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../support/memory-ops.js';
import { clusterDir, clusterStatusJson, COMPOSE_V2, fakeTools, PS, psJson, ScriptedRunner } from './fake-runner.js';

const R = (n: number) => `rabbit@rabbit${n}`;
const ALL_UP = psJson([['rabbit1', 'running', 'healthy'], ['rabbit2', 'running', 'healthy'], ['rabbit3', 'running', 'healthy']]);
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

const run = (name: string, argv: string[], runner: ScriptedRunner) =>
  runAction(name, argv, { dir, actor: { via: 'cli', id: 'tester' }, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner) });

describe('backup', () => {
  test('writes the export to backups/definitions-<UTC time>.json, mode 0600, and counts what it holds', async () => {
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [EXPORT, { stdout: JSON.stringify(DEFINITIONS) }]]);
    const r = await run('backup', [], runner);
    expect(r.data).toMatchObject({ file: 'backups/definitions-19700101T000000Z.json', counts: { users: 1, vhosts: 1, permissions: 1, policies: 1, queues: 1, exchanges: 0, bindings: 0 } });
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

describe('restore', () => {
  async function saved(name: string, text: string): Promise<void> {
    await mkdir(join(dir, 'backups'), { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'backups', name), text, { mode: 0o600 });
  }

  test('latest: the newest backup is copied into the container (0600), imported, and the copy removed', async () => {
    await saved('definitions-20261101T000000Z.json', JSON.stringify({ ...DEFINITIONS, queues: [] }));
    await saved('definitions-20261128T101500Z.json', JSON.stringify(DEFINITIONS));
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [COPY, { exitCode: 0 }], [IMPORT, { exitCode: 0 }], [REMOVE, { exitCode: 0 }]]);
    const r = await run('restore', ['latest'], runner);
    expect(r.data).toMatchObject({ file: 'backups/definitions-20261128T101500Z.json', counts: { queues: 1 } });
    const copied = runner.commands[runner.calls.findIndex((c) => COPY.test(c))]!;
    expect(JSON.parse(copied.input!)).toEqual(DEFINITIONS);
    // the same temp file is imported, then removed
    const file = runner.calls.find((c) => COPY.test(c))!.split(' ').at(-1)!;
    expect(runner.calls.filter((c) => c.endsWith(file) || c.includes(`${file} `))).toHaveLength(3);
  });

  test('the temp copy in the container is removed when the import fails', async () => {
    await saved('definitions-20261128T101500Z.json', JSON.stringify(DEFINITIONS));
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [COPY, { exitCode: 0 }], [IMPORT, { exitCode: 70, stderr: 'Error: validation failed' }], [REMOVE, { exitCode: 0 }]]);
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
