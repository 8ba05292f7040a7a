import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Actor } from './actor.js';
import type { ClusterHandle } from './cluster-handle.js';

export const LOCK_FILE = '.rmq-compose.lock';

/** Who holds a cluster's lock: enough to tell a second person who is running what since when. */
export interface LockHolder {
  actor: Actor;
  action: string;
  args: readonly string[];
  since: Date;
  /** Machine and process holding it (absent in holders made by tests). */
  host?: string;
  pid?: number;
}

export interface LockLease {
  release(): Promise<void>;
}

export interface ClusterLock {
  /** Resolves with a lease, or with the current holder when someone else has the cluster. */
  acquire(cluster: ClusterHandle, holder: LockHolder): Promise<{ lease: LockLease } | { busy: LockHolder }>;
  /** The current holder, if any (checked before asking for a confirmation). */
  holder(cluster: ClusterHandle): Promise<LockHolder | undefined>;
  /** Break the lock whoever holds it (the audited, confirmed `unlock`); returns who held it. */
  break(cluster: ClusterHandle): Promise<LockHolder | undefined>;
}

const LockFile = z.object({
  actor: z.object({ via: z.enum(['slack', 'cli']), id: z.string(), name: z.string().optional(), channel: z.string().optional() }),
  action: z.string(),
  args: z.array(z.string()),
  since: z.string(),
  pid: z.number().int(),
});

/**
 * One mutating action per cluster at a time, across processes (CLI and bot): a lock file in the
 * cluster folder created with O_EXCL. A lock whose pid no longer exists is stale (a crash) and
 * is taken over. Only meaningful for processes on the same machine, like the cluster folder.
 */
export class FileClusterLock implements ClusterLock {
  constructor(private readonly isAlive: (pid: number) => boolean = pidAlive) {}

  async acquire(cluster: ClusterHandle, holder: LockHolder): Promise<{ lease: LockLease } | { busy: LockHolder }> {
    const path = join(cluster.dir, LOCK_FILE);
    const body = JSON.stringify({ actor: holder.actor, action: holder.action, args: [...holder.args], since: holder.since.toISOString(), pid: process.pid });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(body, 'utf8');
        await handle.close();
        return { lease: { release: () => releaseIfOurs(path, body) } };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await this.read(path);
      if (current && this.isAlive(current.pid)) return { busy: toHolder(current) };
      // an unreadable file may be one being written right now (create, then write): leave it a moment
      if (!current && (await ageMs(path)) < 10_000) return { busy: { actor: { via: 'cli', id: 'unknown' }, action: '(starting)', args: [], since: new Date() } };
      // stale (dead pid) or unreadable for long (a writer died between create and write): remove, retry
      await unlink(path).catch(() => undefined);
    }
    const current = await this.read(path);
    if (current) return { busy: toHolder(current) };
    throw new Error(`cannot take the lock ${path}`);
  }

  async break(cluster: ClusterHandle): Promise<LockHolder | undefined> {
    const path = join(cluster.dir, LOCK_FILE);
    const current = await this.read(path);
    await unlink(path).catch(() => undefined);
    return current ? toHolder(current) : undefined;
  }

  async holder(cluster: ClusterHandle): Promise<LockHolder | undefined> {
    const current = await this.read(join(cluster.dir, LOCK_FILE));
    return current && this.isAlive(current.pid) ? toHolder(current) : undefined;
  }

  private async read(path: string): Promise<z.infer<typeof LockFile> | undefined> {
    try {
      const parsed = LockFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

function toHolder(f: z.infer<typeof LockFile>): LockHolder {
  return { actor: f.actor, action: f.action, args: f.args, since: new Date(f.since) };
}

/** Remove the lock only if it is still the one we wrote (a stale-taker may have replaced it). */
async function releaseIfOurs(path: string, body: string): Promise<void> {
  const now = await readFile(path, 'utf8').catch(() => undefined);
  if (now === body) await unlink(path).catch(() => undefined);
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

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return Infinity;
  }
}
