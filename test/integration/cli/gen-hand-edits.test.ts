import { chmod, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../../lib/package-root.js';
import { cleanEnv, runCli, snapshotTree, withTempDir } from '../../helpers/cli.js';
import { specText } from '../../helpers/spec-text.js';

/**
 * Hand edits of generated files are never lost silently: gen names what it changes, refuses to
 * overwrite a file edited since it wrote it (nothing written, the edit shown), and with --force
 * keeps the edited copy beside it.
 */
const THREE = specText({ rabbitmq: { image: 'rabbitmq:4.4-management' } });
const FIVE = specText({ rabbitmq: { image: 'rabbitmq:4.4-management' }, nodes: ['rabbit1', 'rabbit2', 'rabbit3', 'rabbit4', 'rabbit5'] });
const KEEPALIVED = (instances: number) =>
  specText({ rabbitmq: { image: 'rabbitmq:4.4-management' }, loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51, instances } } });

const gen = (dir: string, ...args: string[]) => runCli(['gen', '-f', 'spec.yaml', ...args], { cwd: dir, env: cleanEnv() });

async function generated(dir: string, spec = THREE): Promise<string> {
  await writeFile(join(dir, 'spec.yaml'), spec);
  const first = await gen(dir);
  expect(first.stderr).not.toContain('error');
  expect(first.exitCode).toBe(0);
  return join(dir, 'compose', 'unit');
}

async function editNginx(cluster: string, timeout = '5s'): Promise<string> {
  const conf = join(cluster, 'nginx', 'nginx.conf');
  const text = await readFile(conf, 'utf8');
  expect(text).toContain('proxy_timeout 120s;');
  await writeFile(conf, text.replaceAll('proxy_timeout 120s;', `proxy_timeout ${timeout};`));
  return conf;
}

describe('gen names what it changes', () => {
  test('each changed file with its line counts; --diff adds the unified diff', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'spec.yaml'), THREE);
      const first = await gen(dir);
      expect(first.stdout).toContain('compose/unit/: 11 files (11 created, 0 updated, 0 unchanged)');
      expect(first.stdout).toMatch(/^ {2}created docker-compose\.yml \(\+\d+ \u22120\)$/m);

      await writeFile(join(dir, 'spec.yaml'), FIVE);
      const second = await gen(dir);
      expect(second.exitCode).toBe(0);
      expect(second.stdout).toContain('(2 created, 8 updated, 3 unchanged)');
      expect(second.stdout).toMatch(/^ {2}updated docker-compose\.yml \(\+\d+ \u22120\)$/m);
      expect(second.stdout).toMatch(/^ {2}updated README\.md \(\+3 \u22121\)$/m);
      expect(second.stdout).not.toMatch(/updated \.gitignore|^@@/m);

      await writeFile(join(dir, 'spec.yaml'), THREE);
      const third = await gen(dir, '--diff');
      expect(third.exitCode).toBe(0);
      expect(third.stdout).toMatch(/^ {2}updated docker-compose\.yml \(\+0 \u2212\d+\)$/m);
      expect(third.stdout).toContain('--- a/docker-compose.yml\t(before)');
      expect(third.stdout).toMatch(/^- {2}rabbit5:$/m);
      // the two nodes' memory files go with them, and the three left get their larger share back
      expect(third.stdout).toMatch(/^ {2}removed rabbitmq\/memory-rabbit5\.conf/m);
      expect(third.stdout).toMatch(/^ {2}updated rabbitmq\/memory-rabbit1\.conf \(\+3 \u22123\)$/m);
    });
  });

  test('a mode changed by hand is put back and said', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      await chmod(join(cluster, 'rabbitmq', 'entrypoint.sh'), 0o644);
      const again = await gen(dir);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toMatch(/^ {2}updated rabbitmq\/entrypoint\.sh \(mode 755\)$/m);
    });
  });
});

describe('a file edited by hand since gen wrote it', () => {
  test('gen refuses: exit 1, nothing written, the edit itself shown, what to do said', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      await editNginx(cluster);
      // the spec changed too: the diff shown is the hand edit alone, against what gen wrote
      await writeFile(join(dir, 'spec.yaml'), FIVE);
      const before = await snapshotTree(dir);
      const r = await gen(dir);
      expect(r.exitCode).toBe(1);
      expect(await snapshotTree(dir)).toEqual(before);
      expect(r.stderr).toContain('refusing to overwrite a file in compose/unit edited by hand since gen wrote it; nothing was written:');
      expect(r.stderr).toContain('  nginx/nginx.conf (+2 \u22122)');
      expect(r.stderr).toContain('--- a/nginx/nginx.conf\t(as gen wrote it)');
      expect(r.stderr).toContain('+++ b/nginx/nginx.conf\t(on disk, edited by hand)');
      expect(r.stderr).toMatch(/^- {8}proxy_timeout 120s;$/m);
      expect(r.stderr).toMatch(/^\+ {8}proxy_timeout 5s;$/m);
      // the spec's own change (two more nodes) is not the user's edit
      expect(r.stderr).not.toContain('rabbit5');
      expect(r.stderr).toContain('Move your change into the spec (spec.yaml) and run gen again, or run gen with --force to overwrite');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // --check says the same without refusing
      const check = await gen(dir, '--check');
      expect(check.exitCode).toBe(1);
      expect(check.stdout).toContain('Edited by hand since gen wrote them (gen refuses to overwrite them without --force): nginx/nginx.conf');
    });
  });

  test('--force keeps the edited file aside (bytes and mode) and writes the new one', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      const conf = await editNginx(cluster);
      await chmod(conf, 0o640);
      const edited = await readFile(conf, 'utf8');
      await writeFile(join(dir, 'spec.yaml'), FIVE);
      const r = await gen(dir, '--force');
      expect(r.exitCode).toBe(0);
      const kept = (await readdir(join(cluster, 'nginx'))).filter((f) => f !== 'nginx.conf');
      expect(kept).toEqual([expect.stringMatching(/^nginx\.conf\.hand-edited-\d{8}T\d{6}Z$/)]);
      expect(await readFile(join(cluster, 'nginx', kept[0]!), 'utf8')).toBe(edited);
      expect((await stat(join(cluster, 'nginx', kept[0]!))).mode & 0o777).toBe(0o640);
      expect(await readFile(conf, 'utf8')).toContain('proxy_timeout 120s;');
      expect((await stat(conf)).mode & 0o777).toBe(0o644);
      expect(r.stdout).toContain(`Kept your hand-edited compose/unit/nginx/nginx.conf as compose/unit/nginx/${kept[0]} (--force)`);
      // gen wrote it: the next run has nothing to refuse, and leaves the kept copy alone
      const again = await gen(dir);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toContain('(0 created, 0 updated, 13 unchanged)');
      expect(await readdir(join(cluster, 'nginx'))).toHaveLength(2);
    });
  });

  test('an edit that matches what gen now writes is no conflict', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      // by hand, exactly what the spec's idleTimeout: 90s gives (the heartbeat follows it)
      const conf = await editNginx(cluster, '90s');
      await writeFile(conf, (await readFile(conf, 'utf8')).replaceAll('heartbeat (60s)', 'heartbeat (45s)'));
      await writeFile(join(dir, 'spec.yaml'), specText({ rabbitmq: { image: 'rabbitmq:4.4-management' }, loadBalancer: { idleTimeout: '90s' } }));
      const r = await gen(dir);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).not.toContain('nginx/nginx.conf');
    });
  });

  test('a hand-edited file the changed spec drops is refused too, and kept with --force', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir, KEEPALIVED(3));
      await writeFile(join(cluster, 'keepalived', 'lb3.conf'), `${await readFile(join(cluster, 'keepalived', 'lb3.conf'), 'utf8')}# mine\n`);
      await writeFile(join(dir, 'spec.yaml'), KEEPALIVED(2));
      const r = await gen(dir);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('  keepalived/lb3.conf (+1 \u22120)');
      const forced = await gen(dir, '--force');
      expect(forced.exitCode).toBe(0);
      expect(forced.stdout).toMatch(/^ {2}removed keepalived\/lb3\.conf \(\+0 \u2212\d+\)$/m);
      const left = await readdir(join(cluster, 'keepalived'));
      expect(left).not.toContain('lb3.conf');
      expect(left.filter((f) => f.startsWith('lb3.conf.hand-edited-'))).toHaveLength(1);
    });
  });

  test('the manifest edited by hand is refused like any other generated file', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      const path = join(cluster, 'rmq-compose.json');
      const manifest = JSON.parse(await readFile(path, 'utf8')) as { project: string };
      // reformatted only: the same manifest, not an edit
      await writeFile(path, JSON.stringify(manifest));
      await writeFile(join(dir, 'spec.yaml'), FIVE);
      expect((await gen(dir)).exitCode).toBe(0);
      const edited = JSON.parse(await readFile(path, 'utf8')) as { project: string };
      edited.project = 'rmq-renamed';
      await writeFile(path, `${JSON.stringify(edited, null, 2)}\n`);
      await writeFile(join(dir, 'spec.yaml'), THREE);
      const r = await gen(dir);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('  rmq-compose.json (+1 \u22121; the manifest the operations commands read)');
      expect(r.stderr).toMatch(/^\+ {2}"project": "rmq-renamed",$/m);
    });
  });

  test('a file of yours where gen now writes one is refused (gen has no record of writing it)', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      await mkdir(join(cluster, 'prometheus'));
      await writeFile(join(cluster, 'prometheus', 'prometheus.yml'), 'global: { scrape_interval: 5s }\n');
      await writeFile(join(dir, 'spec.yaml'), specText({ rabbitmq: { image: 'rabbitmq:4.4-management' }, monitoring: { prometheus: true } }));
      const r = await gen(dir);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/ {2}prometheus\/prometheus\.yml \(\+1 \u2212\d+; gen has no record of writing it\)/);
      expect(r.stderr).toContain('On disk against what gen writes now, prometheus/prometheus.yml:');
    });
  });

  test('.env is never rewritten, with --force too', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      const env = join(cluster, '.env');
      const text = `${await readFile(env, 'utf8')}# my note\n`;
      await writeFile(env, text, { mode: 0o600 });
      await editNginx(cluster);
      const r = await gen(dir, '--force');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).not.toContain('.env (');
      expect(await readFile(env, 'utf8')).toBe(text);
    });
  });
});

describe('private files (password hashes, keys)', () => {
  test('a hand-edited definitions.json is refused without showing its bytes', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'definitions.json'), await readFile(join(packageRoot(), 'test', 'fixtures', 'specs', 'boot-definitions.json'), 'utf8'));
      const cluster = await generated(dir, specText({ rabbitmq: { image: 'rabbitmq:4.4-management', definitions: 'definitions.json' } }));
      const generatedDefinitions = join(cluster, 'rabbitmq', 'definitions.json');
      expect((await stat(generatedDefinitions)).mode & 0o777).toBe(0o600);
      const hashes = JSON.parse(await readFile(join(cluster, 'rmq-compose.json'), 'utf8')) as { generatedHashes: Record<string, string> };
      // its hash stays out of the committed manifest, in the git-ignored .rmq-compose/
      expect(Object.keys(hashes.generatedHashes)).not.toContain('rabbitmq/definitions.json');
      expect(Object.keys((JSON.parse(await readFile(join(cluster, '.rmq-compose', 'generated-private.json'), 'utf8')) as { files: object }).files)).toEqual([
        'rabbitmq/definitions.json',
      ]);
      const text = await readFile(generatedDefinitions, 'utf8');
      await writeFile(generatedDefinitions, text.replace('"orders.in"', '"orders.by-hand"'));
      await writeFile(join(dir, 'definitions.json'), (await readFile(join(dir, 'definitions.json'), 'utf8')).replace('order intake', 'order intake (v2)'));
      const r = await gen(dir);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('  rabbitmq/definitions.json (+');
      expect(r.stderr).toContain('(rabbitmq/definitions.json: private, so no diff is shown; compare it yourself)');
      expect(r.stderr).not.toContain('password_hash');
      expect(r.stderr).not.toContain('orders.by-hand');
      const forced = await gen(dir, '--force');
      expect(forced.exitCode).toBe(0);
      const kept = (await readdir(join(cluster, 'rabbitmq'))).filter((f) => f.startsWith('definitions.json.hand-edited-'));
      expect(kept).toHaveLength(1);
      expect((await stat(join(cluster, 'rabbitmq', kept[0]!))).mode & 0o777).toBe(0o600);
    });
  });

  test('TLS keys are never rewritten, with --force too', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir, specText({ rabbitmq: { image: 'rabbitmq:4.4-management' }, tls: {} }));
      const keys = (await readdir(join(cluster, 'tls'))).filter((f) => f.endsWith('.key'));
      expect(keys).toEqual(expect.arrayContaining(['ca.key', 'rabbit1.key']));
      const before = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await readFile(join(cluster, 'tls', k), 'utf8')] as const)));
      await editNginx(cluster);
      const r = await gen(dir, '--force');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).not.toMatch(/\.key \(/);
      for (const k of keys) expect(await readFile(join(cluster, 'tls', k), 'utf8')).toBe(before[k]);
    });
  });
});

describe('no record to check against', () => {
  test('a manifest from an older rmq-compose: said once, the files written, recorded from then on', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      const path = join(cluster, 'rmq-compose.json');
      const { generatedHashes, ...older } = JSON.parse(await readFile(path, 'utf8')) as { generatedHashes: Record<string, string> };
      expect(Object.keys(generatedHashes)).toEqual(expect.arrayContaining(['docker-compose.yml', 'nginx/nginx.conf', 'rmq-compose.json']));
      await writeFile(path, `${JSON.stringify(older, null, 2)}\n`);
      await rm(join(cluster, '.rmq-compose'), { recursive: true });
      await editNginx(cluster);
      const r = await gen(dir);
      expect(r.exitCode).toBe(0);
      const said = r.stderr.split('\n').filter((l) => l.includes('hand edits cannot be detected'));
      expect(said).toEqual([
        'warning: compose/unit/rmq-compose.json was written by an older rmq-compose and records no file hashes: hand edits cannot be detected this run (overwritten: nginx/nginx.conf, rmq-compose.json); gen records them from now on',
      ]);
      expect((JSON.parse(await readFile(path, 'utf8')) as { generatedHashes?: unknown }).generatedHashes).toEqual(generatedHashes);
      // recorded: the next hand edit is caught
      await editNginx(cluster);
      expect((await gen(dir)).exitCode).toBe(1);
    });
  });

  test('a committed folder (no .rmq-compose/) checked out elsewhere: the manifest still knows every public file', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      await rm(join(cluster, '.rmq-compose'), { recursive: true });
      await editNginx(cluster);
      const r = await gen(dir);
      expect(r.exitCode).toBe(1);
      // without the copy, the diff is against what gen writes now
      expect(r.stderr).toContain('On disk against what gen writes now, nginx/nginx.conf:');
    });
  });
});

describe('gen --json', () => {
  test('{ cluster, dir, files, warnings, handEdited } and nothing else on stdout', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'spec.yaml'), THREE);
      const first = await gen(dir, '--json');
      expect(first.exitCode).toBe(0);
      expect(first.stderr).toBe('');
      const report = JSON.parse(first.stdout) as {
        cluster: string;
        dir: string;
        files: Array<{ path: string; change: string; added: number; removed: number }>;
        warnings: unknown[];
        handEdited: unknown[];
        secrets: { generated: string[] };
      };
      expect(report.cluster).toBe('unit');
      expect(report.dir).toBe('compose/unit');
      expect(report.files).toHaveLength(11);
      expect(report.files.every((f) => f.change === 'created' && f.removed === 0 && f.added > 0)).toBe(true);
      expect(report.warnings).toEqual([]);
      expect(report.handEdited).toEqual([]);
      expect(report.secrets.generated).toEqual(['RABBITMQ_DEFAULT_PASS', 'RABBITMQ_ERLANG_COOKIE']);

      await writeFile(join(dir, 'spec.yaml'), KEEPALIVED(2));
      const second = JSON.parse((await gen(dir, '--json')).stdout) as typeof report;
      const byPath = new Map(second.files.map((f) => [f.path, f]));
      expect(byPath.get('rabbitmq/rabbitmq.conf')).toEqual({ path: 'rabbitmq/rabbitmq.conf', change: 'unchanged', added: 0, removed: 0 });
      expect(byPath.get('keepalived/lb1.conf')).toMatchObject({ change: 'created', removed: 0 });
      expect(byPath.get('docker-compose.yml')).toMatchObject({ change: 'updated' });

      await writeFile(join(dir, 'spec.yaml'), THREE);
      const removal = JSON.parse((await gen(dir, '--json')).stdout) as typeof report;
      expect(removal.files.find((f) => f.path === 'keepalived/lb1.conf')).toMatchObject({ change: 'removed', added: 0 });

      await editNginx(join(dir, 'compose', 'unit'));
      await writeFile(join(dir, 'spec.yaml'), FIVE);
      const refused = await gen(dir, '--json');
      expect(refused.exitCode).toBe(1);
      const r = JSON.parse(refused.stdout) as typeof report & { error: string };
      expect(r.handEdited).toEqual([{ path: 'nginx/nginx.conf', why: 'edited', added: 2, removed: 2 }]);
      expect(r.error).toContain('refusing to overwrite');
      const forced = JSON.parse((await gen(dir, '--json', '--force')).stdout) as typeof report;
      expect(forced.handEdited).toEqual([
        { path: 'nginx/nginx.conf', why: 'edited', added: 2, removed: 2, keptAs: expect.stringMatching(/^nginx\/nginx\.conf\.hand-edited-\d{8}T\d{6}Z$/) },
      ]);
    });
  });
});

describe('the record is never reached through a link', () => {
  test('.rmq-compose/generated linked out of the folder: gen refuses, nothing outside changes', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      await mkdir(join(dir, 'elsewhere'));
      await rm(join(cluster, '.rmq-compose', 'generated'), { recursive: true });
      await symlink(join(dir, 'elsewhere'), join(cluster, '.rmq-compose', 'generated'));
      await writeFile(join(dir, 'spec.yaml'), FIVE);
      const r = await gen(dir);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('compose/unit/.rmq-compose/generated is a symbolic link');
      expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
    });
  });
});

describe('gen over an existing cluster holds its lock and says so in its audit.log', () => {
  const auditLines = async (cluster: string) =>
    (await readFile(join(cluster, 'audit.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; result: string; args: string[]; detail?: string; actor: { via: string } });

  test('each run that changes files leaves one line (what changed); a new cluster, an unchanged run and --check leave none', async () => {
    await withTempDir(async (dir) => {
      // a new cluster: nothing to lock, no history yet; a run that changes nothing writes no line
      const cluster = await generated(dir);
      expect((await gen(dir)).exitCode).toBe(0);
      expect((await gen(dir, '--check')).exitCode).toBe(0);
      expect(await auditLines(cluster)).toEqual([]);
      await writeFile(join(dir, 'spec.yaml'), FIVE);
      expect((await gen(dir)).exitCode).toBe(0);
      expect(await auditLines(cluster)).toEqual([
        expect.objectContaining({
          action: 'gen',
          result: 'ok',
          args: ['-f', 'spec.yaml'],
          detail: '10 file(s) changed',
          actor: expect.objectContaining({ via: 'cli' }),
        }),
      ]);
    });
  });

  test('while an action holds the cluster, gen waits for nobody: refused (exit 75) with who holds it, nothing written', async () => {
    await withTempDir(async (dir) => {
      const cluster = await generated(dir);
      const { FileClusterLock } = await import('../../../ops/lock.js');
      const { loadCluster } = await import('../../../ops/load-cluster.js');
      const got = await new FileClusterLock().acquire(await loadCluster(cluster), {
        actor: { via: 'slack', id: 'U0AAA' },
        action: 'upgrade',
        args: ['--to', 'rabbitmq:4.4-management'],
        since: new Date(),
      });
      if (!('lease' in got)) throw new Error('the test could not take the lock');
      try {
        await writeFile(join(dir, 'spec.yaml'), FIVE);
        const before = await snapshotTree(cluster);
        const r = await gen(dir);
        expect(r.exitCode).toBe(75);
        expect(r.stderr).toMatch(/unit is busy: slack user U0AAA is running upgrade --to rabbitmq:4\.4-management since/);
        expect(await snapshotTree(cluster)).toEqual(before);
      } finally {
        await got.lease.release();
      }
      expect((await gen(dir)).exitCode).toBe(0);
    });
  });
});
