import { chmod, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { specPath } from '../../helpers/spec-files.js';
import { join } from 'node:path';
import { parseEnvFile } from '../../../contract/env-file.js';
import { packageRoot } from '../../../lib/package-root.js';
import { cleanEnv, runCli, snapshotTree, withTempDir } from '../../helpers/cli.js';
import { specText } from '../../helpers/spec-text.js';

const fixture = specPath;

describe('rmq-compose gen', () => {
  test('no -f and no ./rmq-cluster.yaml: the bundled seed cluster, said so, secrets generated once', async () => {
    await withTempDir(async (dir) => {
      const first = await runCli(['gen'], { cwd: dir, env: cleanEnv() });
      expect(first.exitCode).toBe(0);
      expect(first.stdout).toContain('Using bundled default spec');
      expect(first.stdout).toContain('compose/seed/: 17 files (17 created, 0 updated, 0 unchanged)');
      const envPath = join(dir, 'compose', 'seed', '.env');
      expect((await stat(envPath)).mode & 0o777).toBe(0o600);
      const env = parseEnvFile(await readFile(envPath, 'utf8'));
      expect([...env.keys()]).toEqual(['RABBITMQ_DEFAULT_PASS', 'RABBITMQ_ERLANG_COOKIE']);
      expect(env.get('RABBITMQ_DEFAULT_PASS')).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(env.get('RABBITMQ_ERLANG_COOKIE')).toMatch(/^[A-Z0-9]{48}$/);
      for (const value of env.values()) expect(first.stdout + first.stderr).not.toContain(value);

      const before = await snapshotTree(join(dir, 'compose'));
      const second = await runCli(['gen'], { cwd: dir, env: cleanEnv() });
      expect(second.exitCode).toBe(0);
      expect(second.stdout).toContain('(0 created, 0 updated, 17 unchanged)');
      expect(await snapshotTree(join(dir, 'compose'))).toEqual(before);
    });
  });

  test('the offline cache keepalived/debs/ is the user’s: gen, gen --check and gen --force leave its .deb files alone', async () => {
    await withTempDir(async (dir) => {
      expect((await runCli(['gen'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const deb = join(dir, 'compose', 'seed', 'keepalived', 'debs', 'keepalived_2.3.3-1_amd64.deb');
      await writeFile(deb, 'not really a package');
      for (const args of [['gen'], ['gen', '--check'], ['gen', '--force']]) {
        const r = await runCli(args, { cwd: dir, env: cleanEnv() });
        expect([args.join(' '), r.exitCode]).toEqual([args.join(' '), 0]);
        expect(r.stdout).not.toContain('.deb');
      }
      expect(await readFile(deb, 'utf8')).toBe('not really a package');
    });
  });

  test('./rmq-cluster.yaml wins over the bundled default; -o chooses the folder', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'rmq-cluster.yaml'), await readFile(fixture('quick'), 'utf8'));
      const result = await runCli(['gen', '-o', 'out'], { cwd: dir, env: cleanEnv() });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('Using spec ./rmq-cluster.yaml');
      expect((await stat(join(dir, 'out', 'quick', 'docker-compose.yml'))).isFile()).toBe(true);
    });
  });

  test('a secret from the environment is used, not written; an existing .env entry is never replaced', async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, 'compose', 'quick'), { recursive: true });
      await writeFile(join(dir, 'compose', 'quick', '.env'), 'RABBITMQ_ERLANG_COOKIE=KEEPMEKEEPMEKEEPME\n');
      const result = await runCli(['gen', '-f', fixture('quick')], { cwd: dir, env: cleanEnv({ RABBITMQ_DEFAULT_PASS: 'from-the-environment-123' }) });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('Taken from the environment (export them again before deploy): RABBITMQ_DEFAULT_PASS');
      const env = await readFile(join(dir, 'compose', 'quick', '.env'), 'utf8');
      expect(env).toBe('RABBITMQ_ERLANG_COOKIE=KEEPMEKEEPMEKEEPME\n');
      expect(result.stdout + result.stderr).not.toContain('from-the-environment-123');
    });
  });

  test('same spec, byte-identical files from two separate runs', async () => {
    await withTempDir(async (dir) => {
      for (const out of ['a', 'b']) expect((await runCli(['gen', '-f', fixture('prod'), '-o', out], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const strip = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([p]) => !p.endsWith('.env')));
      expect(strip(await snapshotTree(join(dir, 'b')))).toEqual(strip(await snapshotTree(join(dir, 'a'))));
    });
  });

  test('--check: 0 when up to date; 1 with a diff when a file drifted; writes nothing', async () => {
    await withTempDir(async (dir) => {
      expect((await runCli(['gen', '-f', fixture('quick')], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const ok = await runCli(['gen', '--check', '-f', fixture('quick')], { cwd: dir, env: cleanEnv() });
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).toContain('compose/quick: up to date with quick.yaml');

      const conf = join(dir, 'compose', 'quick', 'nginx', 'nginx.conf');
      await writeFile(conf, (await readFile(conf, 'utf8')).replace('proxy_timeout 120s;', 'proxy_timeout 5s;'));
      await chmod(join(dir, 'compose', 'quick', 'rabbitmq', 'entrypoint.sh'), 0o644);
      const before = await snapshotTree(dir);
      const drift = await runCli(['gen', '--check', '-f', fixture('quick')], { cwd: dir, env: cleanEnv() });
      expect(drift.exitCode).toBe(1);
      expect(drift.stdout).toContain('-        proxy_timeout 5s;');
      expect(drift.stdout).toContain('+        proxy_timeout 120s;');
      expect(drift.stdout).toContain('mode of rabbitmq/entrypoint.sh should be 755');
      expect(drift.stdout).toContain('2 of 11 files differ from quick.yaml');
      expect(await snapshotTree(dir)).toEqual(before);
    });
  });

  test('the committed compose/ folder is what the bundled default spec gives', async () => {
    await withTempDir(async (dir) => {
      const result = await runCli(['gen', '--check', '-o', join(packageRoot(), 'compose')], { cwd: dir, env: cleanEnv() });
      expect(result.stdout).toContain('up to date');
      expect(result.exitCode).toBe(0);
    });
  });
});

/** One bad spec per rule: exit 2, the path in the message, and the output folder untouched. */
const BAD_SPECS: Array<[string, Record<string, unknown>, RegExp]> = [
  ['duplicate node names', { nodes: ['rabbit1', 'rabbit1', 'rabbit3'] }, /nodes\[1\]\.name: "rabbit1" is already used by nodes\[0\]/],
  [
    'duplicate host ports',
    { nodes: [{ name: 'rabbit1', ports: { amqp: 6000 } }, { name: 'rabbit2', ports: { management: 6000 } }, 'rabbit3'] },
    /nodes\[1\]\.ports\.management: port 6000/,
  ],
  ['port out of range', { nodes: [{ name: 'rabbit1', ports: { amqp: 65536 } }, 'rabbit2', 'rabbit3'] }, /nodes\[0\]\.ports\.amqp: must be between 1 and 65535/],
  ['invalid node name', { nodes: ['rabbit1', 'Rabbit 2', 'rabbit3'] }, /nodes\[1\]\.name: "Rabbit 2" is not a valid hostname/],
  ['no disc node', { nodes: [{ name: 'rabbit1', type: 'ram' }] }, /nodes: no disc node/],
  [
    'virtual IP not CIDR',
    { loadBalancer: { keepalived: { virtualIp: '172.28.5.100', virtualRouterId: 51 } } },
    /loadBalancer\.keepalived\.virtualIp: "172\.28\.5\.100" is not an IPv4 address with a prefix length/,
  ],
  [
    'virtualRouterId out of range',
    { loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 256 } } },
    /loadBalancer\.keepalived\.virtualRouterId: 256 is outside 1–255/,
  ],
  [
    'mirroring on 4.x',
    { rabbitmq: { image: 'rabbitmq:4.0-management' }, policies: [{ name: 'ha', pattern: '.*', definition: { 'ha-mode': 'all' } }] },
    /policies\[0\]\.definition: ha-mode: classic queue mirroring was removed in RabbitMQ 4\.0/,
  ],
  ['unknown key', { loadBalancer: { listners: [] } }, /loadBalancer\.listners: unknown key; did you mean "listeners"\?/],
  [
    'newline in the image (would add lines to rabbitmq.conf)',
    { rabbitmq: { image: 'rabbitmq:3.13\nloopback_users = none' } },
    /rabbitmq\.image: must not contain control characters \(a newline\?\)/,
  ],
  [
    'a quote in an inline password (.env cannot hold it)',
    { rabbitmq: { image: 'rabbitmq:3.13', defaultPass: "it's-secret" } },
    /rabbitmq\.defaultPass: is moved to \.env as RABBITMQ_DEFAULT_PASS, but the value contains a single quote/,
  ],
  [
    'unresolved ${VAR}',
    { rabbitmq: { image: 'rabbitmq:3.13', defaultUser: '${RMQ_TEST_USER_NOT_SET}' } },
    /rabbitmq\.defaultUser: \$\{RMQ_TEST_USER_NOT_SET\} is not set and cannot be generated; export RMQ_TEST_USER_NOT_SET or add RMQ_TEST_USER_NOT_SET=… to /,
  ],
];

describe('bad specs: exit 2, a clear message, nothing written or changed', () => {
  test.each(BAD_SPECS)('%s', async (_name, patch, message) => {
    await withTempDir(async (dir) => {
      // an earlier good run of the same cluster name, which a failed run must leave alone
      await writeFile(join(dir, 'good.yaml'), specText());
      expect((await runCli(['gen', '-f', 'good.yaml'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const before = await snapshotTree(dir);
      await writeFile(join(dir, 'bad.yaml'), specText(patch));
      const after = await snapshotTree(dir);
      const result = await runCli(['gen', '-f', 'bad.yaml'], { cwd: dir, env: cleanEnv() });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      // warnings (a fixture's 3.13 image is past community support) may come first
      expect(result.stderr).toMatch(/^(warning: [^\n]*\n)*error: bad\.yaml: \d+ problem\(s\) in the cluster spec:/);
      expect(await snapshotTree(dir)).toEqual(after);
      expect(Object.keys(after).length).toBe(Object.keys(before).length + 1);
    });
  });
});

describe('init, validate, schema', () => {
  test('init writes a starter that validates and generates; refuses to overwrite', async () => {
    await withTempDir(async (dir) => {
      expect((await runCli(['init'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const again = await runCli(['init'], { cwd: dir, env: cleanEnv() });
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain('rmq-cluster.yaml already exists; edit it, or pass --force to replace it');
      const validate = await runCli(['validate'], { cwd: dir, env: cleanEnv() });
      expect(validate.stdout).toMatch(/rmq-cluster\.yaml: valid \(3 nodes, RabbitMQ 4\.4, formation auto\)/);
      expect(validate.stderr).toBe('');
      expect(validate.exitCode).toBe(0);
      // the day the table runs out: the same spec, one warning about rmq-compose itself
      const later = await runCli(['validate'], { cwd: dir, env: cleanEnv({ RMQ_COMPOSE_NOW: '2029-12-31' }) });
      expect(later.exitCode).toBe(0);
      expect(later.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^warning: rabbitmq\.image: rmq-compose's version table ends at 4\.4 .* on 2029-12-31; update rmq-compose$/),
      ]);
      // a clock setting that is no date is refused before anything runs
      const bad = await runCli(['validate'], { cwd: dir, env: cleanEnv({ RMQ_COMPOSE_NOW: 'yesterday' }) });
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toBe(
        'error: RMQ_COMPOSE_NOW="yesterday" is not a date: give an ISO date or instant such as 2027-01-15 or 2027-01-15T08:00:00Z, or unset it',
      );
      expect((await runCli(['gen'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
    });
  });

  test('validate reports every problem with exit 2 and writes nothing', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'bad.yaml'), specText({ nodes: ['rabbit1', 'rabbit1'], loadBalancer: { keepalived: { virtualIp: 'x', virtualRouterId: 0 } } }));
      const before = await snapshotTree(dir);
      const result = await runCli(['validate', '-f', 'bad.yaml'], { cwd: dir, env: cleanEnv() });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/nodes\[1\]\.name: "rabbit1" is already used/);
      expect(result.stderr).toMatch(/loadBalancer\.keepalived\.virtualRouterId: 0 is outside 1–255/);
      expect(result.stderr).toMatch(/loadBalancer\.keepalived\.virtualIp: "x" is not an IPv4 address/);
      expect(await snapshotTree(dir)).toEqual(before);
    });
  });

  test('validate refuses a control character in any string of the spec', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'bad.yaml'), specText({ loadBalancer: { image: 'nginx:1.27\nload_module x.so;' } }));
      const result = await runCli(['validate', '-f', 'bad.yaml'], { cwd: dir, env: cleanEnv() });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('loadBalancer.image: must not contain control characters (a newline?)');
    });
  });

  test('schema prints the JSON Schema committed in schema/ (editors and the code never drift)', async () => {
    await withTempDir(async (dir) => {
      const result = await runCli(['schema'], { cwd: dir, env: cleanEnv() });
      expect(result.exitCode).toBe(0);
      const committed = await readFile(join(packageRoot(), 'schema', 'rmq-cluster.schema.json'), 'utf8');
      expect(`${result.stdout}\n`).toBe(committed);
      const schema = JSON.parse(result.stdout) as { required: string[]; additionalProperties: boolean };
      expect(schema.required).toEqual(['name', 'nodes']);
      expect(schema.additionalProperties).toBe(false);
    });
  });
});

describe('a changed spec', () => {
  test('files the spec no longer gives are reported by --check and removed by gen, nothing else', async () => {
    await withTempDir(async (dir) => {
      const three = specText({ loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51, instances: 3 } } });
      const two = specText({ loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51, instances: 2 } } });
      await writeFile(join(dir, 'spec.yaml'), three);
      expect((await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      await writeFile(join(dir, 'compose', 'unit', 'notes.txt'), 'mine\n');
      await writeFile(join(dir, 'spec.yaml'), two);
      const check = await runCli(['gen', '--check', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(check.exitCode).toBe(1);
      expect(check.stdout).toContain('keepalived/lb3.conf is no longer generated by the spec (gen removes it)');
      const gen = await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(gen.stdout).toMatch(/1 removed\)/);
      const tree = await snapshotTree(join(dir, 'compose', 'unit'));
      expect(Object.keys(tree)).not.toContain('keepalived/lb3.conf');
      expect(Object.keys(tree)).toContain('keepalived/lb2.conf');
      expect(tree['notes.txt']).toBe('644 mine\n');
    });
  });
});

describe('the output folder: never through a symbolic link', () => {
  test('a manifest entry through a linked folder: gen refuses and deletes nothing outside', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'spec.yaml'), specText({ loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51, instances: 3 } } }));
      expect((await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      // outside the cluster folder: a file gen must never touch
      await mkdir(join(dir, 'elsewhere'));
      await writeFile(join(dir, 'elsewhere', 'precious.conf'), 'keep me\n');
      const cluster = join(dir, 'compose', 'unit');
      const manifest = JSON.parse(await readFile(join(cluster, 'rmq-compose.json'), 'utf8')) as { generatedFiles: string[] };
      manifest.generatedFiles.push('escape/precious.conf');
      await writeFile(join(cluster, 'rmq-compose.json'), JSON.stringify(manifest));
      await symlink(join(dir, 'elsewhere'), join(cluster, 'escape'));
      const before = await snapshotTree(cluster);
      const r = await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('compose/unit/escape is a symbolic link');
      expect(r.stderr).toContain('nothing was written');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(await readFile(join(dir, 'elsewhere', 'precious.conf'), 'utf8')).toBe('keep me\n');
      expect(await snapshotTree(cluster)).toEqual(before);
    });
  });

  test('a generated folder replaced by a link: gen refuses to write through it, --check too', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'spec.yaml'), specText({}));
      expect((await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const cluster = join(dir, 'compose', 'unit');
      await mkdir(join(dir, 'elsewhere'));
      await rm(join(cluster, 'nginx'), { recursive: true });
      await symlink(join(dir, 'elsewhere'), join(cluster, 'nginx'));
      for (const args of [
        ['gen', '-f', 'spec.yaml'],
        ['gen', '--check', '-f', 'spec.yaml'],
      ]) {
        const r = await runCli(args, { cwd: dir, env: cleanEnv() });
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toContain('compose/unit/nginx is a symbolic link');
      }
      expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
    });
  });

  test('an existing .env readable by others is set to 0600, and gen says so', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'spec.yaml'), specText({}));
      expect((await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const env = join(dir, 'compose', 'unit', '.env');
      await chmod(env, 0o644);
      const check = await runCli(['gen', '--check', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(check.stderr).toContain("compose/unit/.env was mode 0644, readable by others although it holds the cluster's secrets; gen sets it to 0600");
      expect((await stat(env)).mode & 0o777).toBe(0o644);
      const gen = await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(gen.exitCode).toBe(0);
      expect(gen.stderr).toContain('set to 0600');
      expect((await stat(env)).mode & 0o777).toBe(0o600);
    });
  });
});
