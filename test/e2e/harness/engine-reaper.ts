import { readdirSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { removeTree, unmountUnder } from './mounts.js';
import { ENGINE_TMP_PREFIX, paths } from './paths.js';
import { findProcesses, findProcessesInCgroup, terminate } from './processes.js';

/** Containers of the private engine live under this cgroup parent (dockerd --cgroup-parent). */
export const ENGINE_CGROUP_PARENT = '/rmq-compose-test';

/**
 * Removes everything a private engine leaves behind when its run is killed, or when it is stopped:
 * dockerd, its containerd and shims, container processes, mounts in the data root and the temp
 * dirs. Only processes carrying our own markers (data root, temp prefix, cgroup parent) are touched.
 */
export async function reapEngine(runner: CommandRunner, enginePid?: number): Promise<void> {
  const markers = [`--data-root ${paths.dockerDataRoot} `, ENGINE_TMP_PREFIX];
  // dockerd first and gently: on SIGTERM it stops its containers and its containerd itself
  const daemons = [enginePid, ...findProcesses([`--data-root ${paths.dockerDataRoot} `])].filter((pid): pid is number => pid !== undefined);
  await terminate([...new Set(daemons)], 20_000);
  // then whatever a SIGKILLed dockerd orphaned: containerd, shims, and the containers themselves
  await terminate(findProcesses(markers), 5_000);
  await terminate(findProcessesInCgroup(`:${ENGINE_CGROUP_PARENT}/`), 5_000);

  await unmountUnder(runner, paths.dockerDataRoot);
  for (const dir of engineTmpDirs()) await removeTree(runner, dir);
}

function engineTmpDirs(): string[] {
  const parent = dirname(ENGINE_TMP_PREFIX);
  const prefix = basename(ENGINE_TMP_PREFIX);
  return readdirSync(parent)
    .filter((name) => name.startsWith(prefix))
    .map((name) => join(parent, name));
}
