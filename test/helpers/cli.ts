import { execa } from 'execa';
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';

/** The CLI as users get it: the bundle `npm run build` makes (see scripts/bundle.mjs). */
export const CLI = join(packageRoot(), 'dist', 'bundle', 'rmq-compose.mjs');

/** Runs the built CLI (`npm test` builds first) as a user would, never throwing on exit codes. */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const result = await execa('node', [CLI, ...args], { cwd: options.cwd, env: options.env, extendEnv: false, reject: false, timeout: 30_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-compose-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every file below `dir` with its bytes and mode: to prove a failed run changed nothing. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(sub: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      // a link is recorded as a link: following it would leave the tree being compared
      else if (entry.isSymbolicLink()) out[rel] = `link ${await readlink(join(dir, rel))}`;
      else out[rel] = `${((await stat(join(dir, rel))).mode & 0o777).toString(8)} ${await readFile(join(dir, rel), 'utf8')}`;
    }
  }
  await walk('');
  return out;
}

/**
 * The day every CLI a test starts believes it is (lib/clock.ts reads RMQ_COMPOSE_NOW): what the
 * CLI says of support windows and certificates then never depends on when the suite runs.
 */
export const TEST_NOW = '2026-12-07T12:00:00Z';

/**
 * The variables that make this process's wall clock what it is (Debian's `faketime` preloads
 * libfaketime and sets FAKETIME*). A child that checks a timestamp this process made from
 * `Date.now()` (Slack's signed requests: Bolt rejects any more than 5 minutes off) must share
 * them, or a suite run under `faketime` signs requests the child calls stale.
 */
export function sameWallClockEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name.startsWith('FAKETIME'))) out[name] = value;
  }
  return out;
}

/** PATH, HOME and the pinned clock only: the CLI must not depend on the developer's environment. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', RMQ_COMPOSE_NOW: TEST_NOW, ...extra };
}
