import { copyFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnvFile } from '../../../contract/env-file.js';
import { cleanEnv, runCli, snapshotTree, withTempDir } from '../../helpers/cli.js';
import { specPath } from '../../helpers/spec-files.js';

/** The fixture spec and its definitions file, copied side by side into `dir`. */
async function copyFixture(dir: string): Promise<void> {
  await copyFile(specPath('boot-definitions'), join(dir, 'spec.yaml'));
  await copyFile(specPath('boot-definitions').replace(/\.yaml$/, '.json'), join(dir, 'boot-definitions.json'));
}
const cluster = (dir: string) => join(dir, 'compose', 'boot-defs');

describe('gen with rabbitmq.definitions', () => {
  test('twice: the same bytes (the salt is not random), definitions.json 0600, the password only in .env', async () => {
    await withTempDir(async (dir) => {
      await copyFixture(dir);
      const first = await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(first.exitCode).toBe(0);
      const before = await snapshotTree(cluster(dir));
      expect(before['rabbitmq/definitions.json']).toMatch(/^600 \{/);
      const password = parseEnvFile(await readFile(join(cluster(dir), '.env'), 'utf8')).get('RABBITMQ_DEFAULT_PASS')!;
      expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
      for (const [path, contents] of Object.entries(before))
        if (path !== '.env') expect({ path, clear: contents.includes(password) }).toEqual({ path, clear: false });
      expect(first.stdout + first.stderr).not.toContain(password);

      const second = await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(second.stdout).toContain('(0 created, 0 updated, 12 unchanged)');
      expect(await snapshotTree(cluster(dir))).toEqual(before);
    });
  });

  test('--check: a checkout (no .env, no definitions.json, both git-ignored) is up to date; a stale definitions.json is drift', async () => {
    await withTempDir(async (dir) => {
      await copyFixture(dir);
      expect((await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      const ok = await runCli(['gen', '--check', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(ok.exitCode).toBe(0);

      // the source file changed, gen not run again
      const source = join(dir, 'boot-definitions.json');
      await writeFile(source, (await readFile(source, 'utf8')).replace('"orders.in"', '"orders.incoming"'));
      const drift = await runCli(['gen', '--check', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(drift.exitCode).toBe(1);
      expect(drift.stdout).toContain('+      "name": "orders.incoming",');

      // what git would give CI: neither the secrets nor the file built from them
      await rm(join(cluster(dir), '.env'));
      await rm(join(cluster(dir), 'rabbitmq', 'definitions.json'));
      const checkout = await runCli(['gen', '--check', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(checkout.stdout).toContain('Not compared (git-ignored: they hold password hashes or private keys; gen writes them): rabbitmq/definitions.json');
      expect(checkout.stdout).toContain('up to date with spec.yaml');
      expect(checkout.exitCode).toBe(0);
    });
  });

  test('--check with definitions.json there but no password to hash: not compared, and said', async () => {
    await withTempDir(async (dir) => {
      await copyFixture(dir);
      expect((await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() })).exitCode).toBe(0);
      await rm(join(cluster(dir), '.env'));
      const check = await runCli(['gen', '--check', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(check.exitCode).toBe(0);
      expect(check.stderr).toMatch(
        /warning: rabbitmq\/definitions\.json not compared: built from RABBITMQ_DEFAULT_PASS, which is in neither the environment nor .*\.env/,
      );
    });
  });

  test('the password from the environment is the one hashed (Compose’s order: environment, then .env)', async () => {
    await withTempDir(async (dir) => {
      await copyFixture(dir);
      const env = cleanEnv({ RABBITMQ_DEFAULT_PASS: 'from-the-environment-42' });
      expect((await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env })).exitCode).toBe(0);
      const json = JSON.parse(await readFile(join(cluster(dir), 'rabbitmq', 'definitions.json'), 'utf8')) as {
        users: Array<{ name: string; password_hash: string }>;
      };
      const hash = Buffer.from(json.users.find((u) => u.name === 'admin')!.password_hash, 'base64');
      const { createHash } = await import('node:crypto');
      expect(
        createHash('sha256')
          .update(Buffer.concat([hash.subarray(0, 4), Buffer.from('from-the-environment-42')]))
          .digest(),
      ).toEqual(hash.subarray(4));
      expect(await readFile(join(cluster(dir), '.env'), 'utf8')).not.toContain('RABBITMQ_DEFAULT_PASS');
    });
  });

  test.each([
    [
      'a missing file',
      async (_dir: string) => undefined,
      /error: spec\.yaml: 1 problem\(s\) in the cluster spec:\n {2}- rabbitmq\.definitions: boot-definitions\.json \(.*\/boot-definitions\.json\): no such file; the path is relative to the spec file's folder/,
    ],
    [
      'not JSON',
      async (dir: string) => writeFile(join(dir, 'boot-definitions.json'), '{ "users": [ }'),
      /- rabbitmq\.definitions: boot-definitions\.json: is not valid JSON \(an unexpected "\}"\)/,
    ],
    [
      'the wrong shape',
      async (dir: string) => writeFile(join(dir, 'boot-definitions.json'), '{ "vhosts": "orders" }'),
      /- rabbitmq\.definitions: boot-definitions\.json: vhosts: must be a list/,
    ],
  ])('%s: exit 2, the spec path and the fix, no stack, nothing written', async (_name, prepare, message) => {
    await withTempDir(async (dir) => {
      await copyFile(specPath('boot-definitions'), join(dir, 'spec.yaml'));
      await prepare(dir);
      const result = await runCli(['gen', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      await expect(stat(join(dir, 'compose'))).rejects.toThrow();
      const validate = await runCli(['validate', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(validate.exitCode).toBe(2);
      expect(validate.stderr).toMatch(/rabbitmq\.definitions: boot-definitions\.json/);
    });
  });

  test('validate says what the file holds, and warns when it defines the default user itself', async () => {
    await withTempDir(async (dir) => {
      await copyFixture(dir);
      const ok = await runCli(['validate', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).toMatch(
        /spec\.yaml: valid \(3 nodes, RabbitMQ 4\.3, formation auto, boot definitions boot-definitions\.json \(1 users, 1 vhosts, 1 permissions, 1 policies, 1 queues, 1 exchanges, 1 bindings\)/,
      );
      const source = join(dir, 'boot-definitions.json');
      await writeFile(source, (await readFile(source, 'utf8')).replace('"name": "app"', '"name": "admin"'));
      const own = await runCli(['validate', '-f', 'spec.yaml'], { cwd: dir, env: cleanEnv() });
      expect(own.stderr).toContain('warning: rabbitmq.definitions: boot-definitions.json defines the default user "admin" itself');
    });
  });
});
