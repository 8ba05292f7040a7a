import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who a process is, well enough to tell "that lock holder is still running" from "its pid now
 * belongs to someone else": the machine, the boot, the pid and when the process started (Linux
 * /proc; elsewhere only the pid is known and a live pid counts as the holder).
 */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot. */
  startTime?: string;
  bootId?: string;
  /** /proc/self/ns/pid, e.g. "pid:[4026531836]": a pid means something only inside its namespace. */
  pidNs?: string;
}

export function currentProcess(): ProcessIdentity {
  return withOptional({ host: hostname(), pid: process.pid }, { startTime: processStartTime(process.pid), bootId: bootId(), pidNs: pidNamespace() });
}

/** Undefined when the process does not exist (or /proc is not there). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: count after the last ")"
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Undefined off Linux. */
export function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Is the process that wrote `holder` gone for sure? Only decidable on this machine and in this pid
 * namespace: a holder on another host, or in another pid namespace of this one, is never judged
 * gone (a reboot excepted); the person breaks that lock with `unlock`.
 */
export function isGone(
  holder: ProcessIdentity,
  here: ProcessIdentity,
  alive: (pid: number) => boolean = pidAlive,
  startOf: (pid: number) => string | undefined = processStartTime,
): boolean {
  if (holder.host !== here.host) return false;
  if (holder.bootId && here.bootId && holder.bootId !== here.bootId) return true;
  // same host name and kernel, other pid namespace (a container on the host network, or the host
  // seen from one): its pid is not ours to look up, and a free or reused pid here proves nothing
  if (holder.pidNs && here.pidNs && holder.pidNs !== here.pidNs) return false;
  if (!alive(holder.pid)) return true;
  // alive, but the pid may have been handed to another process since
  const start = holder.startTime ? startOf(holder.pid) : undefined;
  return start !== undefined && start !== holder.startTime;
}

/** Only the fields this platform could read, so the lock file holds no nulls. */
function withOptional(base: ProcessIdentity, extra: Pick<ProcessIdentity, 'startTime' | 'bootId' | 'pidNs'>): ProcessIdentity {
  const known = Object.entries(extra).filter(([, v]) => v !== undefined);
  return { ...base, ...Object.fromEntries(known) };
}
