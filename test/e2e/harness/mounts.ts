import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { CommandRunner } from '../../../ops/runner/command.js';

/** Mount points at or below `dir`, deepest first (the order they must be unmounted in). */
export function mountsUnder(dir: string): string[] {
  const root = dir.replace(/\/+$/, '');
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => Boolean(point))
    // mountinfo escapes spaces and friends as octal
    .map((point) => point.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))))
    .filter((point) => point === root || point.startsWith(`${root}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * A killed dockerd leaves overlay and network-namespace mounts, a killed debootstrap leaves /proc
 * and /sys mounted in its target: `rm -rf` over those would wander into the host's /proc.
 * Lazy unmount, because a mount still busy in a dying process must not stop the cleanup.
 */
export async function unmountUnder(runner: CommandRunner, dir: string): Promise<void> {
  for (const point of mountsUnder(dir)) {
    await runner.run({ file: 'umount', args: ['--lazy', point], timeoutMs: 15_000 });
  }
  const left = mountsUnder(dir);
  if (left.length > 0) throw new Error(`could not unmount ${left.join(', ')}`);
}

/** Unmounts whatever is below `dir`, then removes it. */
export async function removeTree(runner: CommandRunner, dir: string): Promise<void> {
  await unmountUnder(runner, dir);
  await rm(dir, { recursive: true, force: true });
}
