import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOpsCommand } from '../../../../cli/commands/ops-run.js';
import { MANIFEST_FILE } from '../../../../contract/cluster-files.js';
import { isUserError } from '../../../../lib/errors.js';
import { AuditUnavailableError, ClusterNotFoundError, OpsCore, runAction } from '../../../../ops/index.js';
import { loadCluster } from '../../../../ops/load-cluster.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir, fakeTools, ScriptedRunner } from '../fake-runner.js';

const actor = { via: 'cli' as const, id: 'tester' };

describe('the pipeline records the intent before it runs anything', () => {
  let dir: string;
  /** A cluster whose audit.log cannot take a line (a folder in its place). */
  let unwritable: string;
  beforeAll(async () => {
    dir = await clusterDir(fakeManifest());
    unwritable = await clusterDir(fakeManifest());
    await mkdir(join(unwritable, 'audit.log'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(unwritable, { recursive: true, force: true });
  });

  test('an audit log that cannot be written: nothing runs, a clear error with its own exit code, the lock is free again', async () => {
    const runner = new ScriptedRunner();
    const lock = new MemoryLock();
    const run = runAction('revive', ['rabbit2'], { dir: unwritable, actor, lock, tools: fakeTools(runner) });
    await expect(run).rejects.toBeInstanceOf(AuditUnavailableError);
    await expect(run).rejects.toMatchObject({
      exitCode: 74,
      message: expect.stringMatching(/cannot write the audit log \S*audit\.log \(EISDIR\), so revive rabbit2 on seed was not run/),
    });
    expect(runner.calls).toEqual([]);
    expect(await lock.holder({ dir: unwritable, manifest: fakeManifest() })).toBeUndefined();
  });

  // the whole process (main's one line and exit code) runs from the bundle in test/integration/cli/ops.test.ts
  test('the terminal command gets a user error (one line, exit 74), not a bug', async () => {
    const error = await runOpsCommand('revive', ['rabbit2'], { dir: unwritable }).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(error).toMatchObject({ exitCode: 74, message: expect.stringMatching(/^cannot write the audit log \S*audit\.log \(EISDIR\)[^\n]*$/) });
  });

  test("the intent line comes first, then the outcome, in the cluster folder's own audit.log", async () => {
    const runner = new ScriptedRunner();
    await runAction('unlock', [], { dir, actor, tools: fakeTools(runner) });
    const lines = (await readFile(join(dir, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { result: string; detail?: string });
    expect(lines.map((l) => l.result)).toEqual(['started', 'ok']);
    expect(lines[0]!.detail).toBe('unlock on seed');
  });

  test("a bug's message stays out of the audit (it may hold anything); a user error's is kept", async () => {
    const audit = new MemoryAudit();
    const core = new OpsCore({
      audit: { sink: audit },
      lock: new MemoryLock(),
      actions: [
        {
          name: 'boom',
          usage: 'boom',
          summary: 'x',
          mutating: false,
          dangerous: false,
          parse: () => ({}),
          run: async () => {
            throw new Error('token xoxb-SECRET in a stack');
          },
        },
      ],
    });
    const p = await core.prepare({ action: 'boom', argv: [], actor, dir });
    await expect(core.execute(p)).rejects.toThrow('xoxb-SECRET');
    expect(audit.outcomes).toMatchObject([{ result: 'error', detail: 'unexpected Error (a bug: the terminal printed the details)' }]);
  });
});

describe("a hand-edited manifest is held to the spec's own shapes", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-manifest-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const hostile: Array<[string, (m: ReturnType<typeof fakeManifest>) => void, RegExp]> = [
    ['a service that is an option', (m) => void (m.nodes[0]!.service = '-H=tcp://10.9.9.9:2375'), /nodes\.0\.service: must be a Compose service name/],
    [
      'a compose file outside the folder',
      (m) => void (m.hosts[0]!.composeFile = '../../../../etc/passwd'),
      /hosts\.0\.composeFile: must be a relative path inside the cluster folder/,
    ],
    ['an absolute compose file', (m) => void (m.hosts[0]!.composeFile = '/etc/passwd'), /hosts\.0\.composeFile/],
    [
      'a docker endpoint that is an option',
      (m) => void (m.hosts[0]!.docker = '-H=tcp://10.9.9.9:2375'),
      /hosts\.0\.docker: must be ssh:\/\/user@host\[:port\]/,
    ],
    ['a docker endpoint with a shell', (m) => void (m.hosts[0]!.docker = 'ssh://root@host;id'), /hosts\.0\.docker/],
    [
      'an LB service name with a path',
      (m) => void (m.loadBalancer = { listeners: [], instances: [{ name: 'lb1', host: 'local', nginxService: '../nginx' }] }),
      /loadBalancer\.instances\.0\.nginxService/,
    ],
    ['a generated file outside the folder', (m) => void (m.generatedFiles = ['nginx/../../outside']), /generatedFiles\.0/],
    ['a node host name with a newline', (m) => void (m.nodes[1]!.host = 'local\nx'), /nodes\.1\.host/],
    ['an image with a newline', (m) => void (m.rabbitmq.image = 'rabbitmq:3\nx=y'), /rabbitmq\.image: must not contain control characters/],
  ];

  test.each(hostile)('%s is refused by the loader, naming the field', async (_what, edit, message) => {
    const m = fakeManifest();
    edit(m);
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(m));
    const load = loadCluster(dir);
    await expect(load).rejects.toBeInstanceOf(ClusterNotFoundError);
    await expect(load).rejects.toThrow(message);
  });

  test('ssh://user@host:port and a docker context name are accepted', async () => {
    const m = fakeManifest();
    m.hosts = [
      { ...m.hosts[0]!, docker: 'ssh://deploy@10.77.0.11:2222' },
      { name: 'b', composeFile: 'hosts/b/docker-compose.yml', services: [], docker: 'mq-b' },
    ];
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(m));
    expect((await loadCluster(dir)).manifest.hosts.map((h) => h.docker)).toEqual(['ssh://deploy@10.77.0.11:2222', 'mq-b']);
  });
});
