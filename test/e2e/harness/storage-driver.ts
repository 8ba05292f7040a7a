import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { removeTree } from './mounts.js';

export type StorageDriver = 'overlay2' | 'vfs';

export interface DriverChoice {
  driver: StorageDriver;
  reason: string;
}

/**
 * overlay2 shares image layers between containers; vfs copies the whole image (~0.5 GB here) for
 * every container, which makes a 6-container cluster slow and big. So overlay2 whenever the
 * kernel and the cache's file system allow it. Images live in the data root under the driver's
 * name, so once a data root has images the same driver is kept (else they would all vanish).
 */
export async function chooseStorageDriver(runner: CommandRunner, dataRoot: string): Promise<DriverChoice> {
  const forced = process.env.RMQ_TEST_STORAGE_DRIVER;
  if (forced === 'overlay2' || forced === 'vfs') return { driver: forced, reason: 'RMQ_TEST_STORAGE_DRIVER' };

  const used = (['overlay2', 'vfs'] as const).filter((d) => existsSync(join(dataRoot, 'image', d, 'repositories.json')));
  if (used.length > 0) {
    const newest = used.sort((a, b) => mtime(dataRoot, b) - mtime(dataRoot, a))[0]!;
    return { driver: newest, reason: `the data root ${dataRoot} already holds ${newest} images` };
  }
  return (await overlayWorks(runner, dirname(dataRoot)))
    ? { driver: 'overlay2', reason: 'an overlay mount works on the cache file system' }
    : { driver: 'vfs', reason: 'no overlay mount possible on the cache file system (e.g. already on overlayfs)' };
}

function mtime(dataRoot: string, driver: string): number {
  return statSync(join(dataRoot, 'image', driver, 'repositories.json')).mtimeMs;
}

/** A real overlay mount in the same file system the data root is on, written through and undone. */
async function overlayWorks(runner: CommandRunner, parent: string): Promise<boolean> {
  mkdirSync(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, 'overlay-probe-'));
  try {
    for (const sub of ['lower', 'upper', 'work', 'merged']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'lower', 'probe'), 'lower');
    const mount = await runner.run({
      file: 'mount',
      args: ['-t', 'overlay', 'overlay', '-o', `lowerdir=${dir}/lower,upperdir=${dir}/upper,workdir=${dir}/work`, join(dir, 'merged')],
      timeoutMs: 15_000,
    });
    if (mount.exitCode !== 0) return false;
    writeFileSync(join(dir, 'merged', 'probe'), 'upper');
    await runner.run({ file: 'umount', args: [join(dir, 'merged')], timeoutMs: 15_000 });
    return readFileSync(join(dir, 'upper', 'probe'), 'utf8') === 'upper';
  } catch {
    return false;
  } finally {
    await removeTree(runner, dir);
  }
}
