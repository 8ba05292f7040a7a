import { mkdir, readFile } from 'node:fs/promises';
import { specPath } from '../../helpers/spec-files.js';
import { join } from 'node:path';
import { cleanEnv, runCli, withTempDir } from '../../helpers/cli.js';

/** The ops commands as a user runs them, against a generated cluster and no reachable Docker. */
describe('rmq-compose ops commands (no Docker engine)', () => {
  // an engine socket that cannot exist: compose (if installed) fails to connect
  const env = cleanEnv({ DOCKER_HOST: 'unix:///nonexistent/rmq-compose-test.sock' });

  test('status --json: a clear error naming the engine, non-zero, nothing on stdout', async () => {
    await withTempDir(async (dir) => {
      expect((await runCli(['gen'], { cwd: dir, env })).exitCode).toBe(0);
      const r = await runCli(['status', '-d', join(dir, 'compose', 'seed'), '--json'], { cwd: dir, env });
      expect(r.exitCode).not.toBe(0);
      expect(r.exitCode).not.toBe(70);
      expect(r.stderr).toMatch(/error: (cannot reach|Docker Compose is not available)/);
      expect(r.stdout).toBe('');
      const envText = await readFile(join(dir, 'compose', 'seed', '.env'), 'utf8');
      for (const line of envText.split('\n').filter((l) => /^[A-Z_]+=/.test(l))) expect(r.stderr).not.toContain(line.split('=')[1]);
    });
  });

  test('check: could not check at all is exit 3 (UNKNOWN), never a verdict (0 healthy, 1 degraded, 2 critical)', async () => {
    await withTempDir(async (dir) => {
      const none = await runCli(['check', '-d', dir], { cwd: dir, env });
      expect(none.exitCode).toBe(3);
      expect(none.stderr).toMatch(/^error: .* is not a generated cluster/);
      await runCli(['gen'], { cwd: dir, env });
      // refused by the parser, before any process (the seed's addresses are not this test's to probe)
      const bad = await runCli(['check', 'now'], { cwd: dir, env });
      expect(bad.exitCode).toBe(3);
      expect(bad.stderr).toMatch(/check takes no arguments/);
    });
  });

  test('injection and unknown nodes are refused with exit 2 before anything runs; audited as rejected', async () => {
    await withTempDir(async (dir) => {
      await runCli(['gen'], { cwd: dir, env });
      for (const argv of [
        ['join', 'rabbit1;rm -rf /', '--yes'],
        ['logs', '$(id)'],
        ['restart', 'rabbit9'],
        ['logs', 'rabbit1', '--tail', '99999'],
      ]) {
        // -d omitted: the single cluster under ./compose/ is used
        const r = await runCli(argv, { cwd: dir, env });
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toMatch(/^error: (unknown node|--tail must be)/);
      }
      const audit = (await readFile(join(dir, 'compose', 'seed', 'audit.log'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(audit.map((a) => [a.action, a.result, a.actor.via])).toEqual([
        ['join', 'rejected', 'cli'],
        ['logs', 'rejected', 'cli'],
        ['restart', 'rejected', 'cli'],
        ['logs', 'rejected', 'cli'],
      ]);
    });
  });

  test('dangerous actions need --yes without a terminal; no cluster folder is a clear error', async () => {
    await withTempDir(async (dir) => {
      const none = await runCli(['status'], { cwd: dir, env });
      expect(none.exitCode).toBe(2);
      expect(none.stderr).toContain('no cluster folder given');
      await runCli(['gen'], { cwd: dir, env });
      const r = await runCli(['deploy'], { cwd: dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('add --yes');
    });
  });

  test('mirror-policy on a 4.x cluster: refused, pointing to quorum queues', async () => {
    await withTempDir(async (dir) => {
      await runCli(['gen', '-f', specPath('quick')], { cwd: dir, env });
      const r = await runCli(['mirror-policy', 'list'], { cwd: dir, env });
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toMatch(/classic queue mirroring was removed in RabbitMQ 4\.0[\s\S]*x-queue-type: quorum/);
    });
  });

  test('an audit log that cannot be written: one line, exit 74, no stack trace (main turns the error into both)', async () => {
    await withTempDir(async (dir) => {
      await runCli(['gen'], { cwd: dir, env });
      // a folder where the cluster's audit.log should be: no line can be appended
      await mkdir(join(dir, 'compose', 'seed', 'audit.log'));
      const r = await runCli(['revive', 'rabbit2', '-d', join(dir, 'compose', 'seed')], { cwd: dir, env });
      expect(r.exitCode).toBe(74);
      expect(r.stderr).toMatch(/^error: cannot write the audit log \S*audit\.log \(EISDIR\)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
