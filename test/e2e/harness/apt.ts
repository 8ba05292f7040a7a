import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { runChecked } from '../../../ops/runner/execa-runner.js';
import { withFileLock } from './lock.js';
import { paths } from './paths.js';

export function onPath(binary: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  return dirs.some((dir) => dir && existsSync(join(dir, binary)));
}

export function canUseApt(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && onPath('apt-get');
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
// apt allows one user of its lists and dpkg at a time: both image builds (and the validator
// tests in another worker) may ask at once, so installs queue here and across processes.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Installs Debian packages when one of their programs is missing. Only reached on a cold machine,
 * so the index is refreshed every time rather than tracked.
 */
export function ensureAptPackages(runner: CommandRunner, binaries: string[], packages: string[], why: string): Promise<void> {
  return ensureInstalled(runner, () => binaries.every(onPath), packages, `${why}: ${binaries.join(', ')}`);
}

/** Same, for a presence test that is more than programs on PATH (a module file, say). */
export function ensureInstalled(runner: CommandRunner, present: () => boolean, packages: string[], what: string): Promise<void> {
  if (present()) return Promise.resolve();
  const next = queue.then(() => withFileLock(join(paths.cache, 'apt.lock'), 20 * 60_000, () => install(runner, present, packages, what)));
  queue = next.catch(() => undefined);
  return next;
}

async function install(runner: CommandRunner, present: () => boolean, packages: string[], what: string): Promise<void> {
  if (present()) return;
  if (!canUseApt()) {
    throw new Error(`${what} missing and cannot be installed here (needs root and apt-get): install the Debian packages ${packages.join(' ')}`);
  }
  await runChecked(runner, { file: 'apt-get', args: ['update', '-qq'], env: APT_ENV, timeoutMs: 300_000 }, 'apt-get update');
  await runChecked(
    runner,
    { file: 'apt-get', args: ['install', '-y', '-qq', '--no-install-recommends', ...packages], env: APT_ENV, timeoutMs: 900_000 },
    `apt-get install ${packages.join(' ')}`,
  );
  if (!present()) throw new Error(`${what} still missing after installing ${packages.join(' ')}`);
}
