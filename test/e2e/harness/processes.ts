import { readFileSync, readdirSync } from 'node:fs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * True while the process exists and is not a zombie: a daemonised dockerd is re-parented to pid 1,
 * and a pid 1 that is slow to reap would otherwise keep a dead engine looking alive.
 */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the state letter follows the parenthesised command name, which may itself hold spaces
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Command line of a process as its argument list ([] when it is gone or unreadable). */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Pids whose command line mentions any of the markers (our own data root or temp prefix). */
export function findProcesses(markers: readonly string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const args = commandLine(pid).join(' ');
    if (args && markers.some((marker) => args.includes(marker))) found.push(pid);
  }
  return found;
}

/**
 * Pids in a cgroup whose path mentions `marker`: the private engine puts its containers under its
 * own cgroup parent, so a killed run's container processes can be found even after their
 * containerd shim is gone.
 */
export function findProcessesInCgroup(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cgroup`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found.filter((pid) => pid !== process.pid);
}

async function waitGone(pids: readonly number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = pids.filter(isAlive);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = left.filter(isAlive);
  }
  return left;
}

/**
 * SIGTERM, then SIGKILL for whatever is still there after `graceMs`. dockerd needs its grace:
 * on SIGTERM it stops its containers and its containerd; a SIGKILL leaves both behind.
 */
export async function terminate(pids: readonly number[], graceMs: number): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  const alive = pids.filter(isAlive);
  alive.forEach((pid) => signal(pid, 'SIGTERM'));
  const stubborn = await waitGone(alive, graceMs);
  stubborn.forEach((pid) => signal(pid, 'SIGKILL'));
  const undead = await waitGone(stubborn, 5000);
  if (undead.length > 0) throw new Error(`processes survived SIGKILL: ${undead.map(processState).join('; ')}`);
}

/** pid, state letter and kernel wait channel: what a process that will not die is doing. */
function processState(pid: number): string {
  const read = (file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  const stat = read('stat');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || '?';
  return `${pid} (${commandLine(pid).join(' ') || 'gone'}) state ${state} wchan ${read('wchan') || '?'}`;
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}
