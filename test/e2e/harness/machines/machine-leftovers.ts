import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../../../ops/runner/command.js';
import { unmountUnder } from '../mounts.js';
import { paths } from '../paths.js';
import { findProcessesInCgroup, isAlive, terminate } from '../processes.js';
import { LAN_PREFIX, forwardRule } from './lan.js';

/** A run's folders: machines' disks (data roots) beside the image cache, their /run in tmp. */
export function machineDirs(pid: number): { data: string; run: string } {
  return { data: join(paths.cache, 'machines', `${LAN_PREFIX}${pid}`), run: join(tmpdir(), `${LAN_PREFIX}${pid}`) };
}

const RUN_NAME = new RegExp(`^${LAN_PREFIX}(\\d+)(-|v\\d+$|$)`);

function deadRunPid(name: string): number | undefined {
  const pid = Number(RUN_NAME.exec(name)?.[1]);
  return pid && pid !== process.pid && !isAlive(pid) ? pid : undefined;
}

/**
 * What a killed run left: its machines' processes (found by their network namespace and their
 * containers' cgroup, both named after the run's pid), namespaces, bridge and folders. Only runs
 * whose pid is gone are touched.
 */
export async function reapMachineLeftovers(runner: CommandRunner): Promise<void> {
  const namespaces = (await runner.run({ file: 'ip', args: ['netns', 'list'], timeoutMs: 10_000 })).stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => deadRunPid(name) !== undefined);
  const deadPids = new Set<number>();
  for (const ns of namespaces) {
    deadPids.add(deadRunPid(ns)!);
    const pids = (await runner.run({ file: 'ip', args: ['netns', 'pids', ns], timeoutMs: 10_000 })).stdout
      .split('\n')
      .map(Number)
      .filter((p) => p > 1);
    await terminate(pids, 0).catch(() => undefined);
  }
  for (const pid of deadPids) await terminate(findProcessesInCgroup(`:/${LAN_PREFIX}${pid}-`), 0).catch(() => undefined);
  for (const ns of namespaces) await runner.run({ file: 'ip', args: ['netns', 'del', ns], timeoutMs: 10_000 });

  const links = (await runner.run({ file: 'ip', args: ['-o', 'link', 'show'], timeoutMs: 10_000 })).stdout;
  for (const match of links.matchAll(/^\d+: ([^:@]+)[:@]/gm)) {
    if (deadRunPid(match[1]!) !== undefined) await runner.run({ file: 'ip', args: ['link', 'del', match[1]!], timeoutMs: 10_000 });
  }
  const forward = (await runner.run({ file: 'iptables', args: ['-S', 'FORWARD'], timeoutMs: 10_000 })).stdout;
  for (const match of forward.matchAll(new RegExp(`-i (${LAN_PREFIX}\\d+) -o \\1 -j ACCEPT`, 'g'))) {
    if (deadRunPid(match[1]!) !== undefined) await runner.run({ file: 'iptables', args: ['-D', 'FORWARD', ...forwardRule(match[1]!)], timeoutMs: 10_000 });
  }
  for (const parent of [join(paths.cache, 'machines'), tmpdir()]) {
    if (!existsSync(parent)) continue;
    for (const name of readdirSync(parent)) {
      if (!new RegExp(`^${LAN_PREFIX}\\d+$`).test(name) || deadRunPid(name) === undefined) continue;
      await unmountUnder(runner, join(parent, name));
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }
}
