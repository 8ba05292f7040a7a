import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { STATE_DIR } from '../../contract/cluster-files.js';
import type { ClusterHandle } from '../cluster-handle.js';
import type { ClusterLock, LockHolder, LockLease } from './lock-types.js';
import { currentProcess, isGone, type ProcessIdentity } from './process-identity.js';
import { systemClock } from '../../lib/clock.js';

/**
 * One mutating action per cluster at a time, across processes (CLI and bot), with a takeover of
 * a dead holder's lock that two contenders can never both win.
 *
 * The lock is a series of generation files `<cluster>/.rmq-compose/lock.<n>`. The current one is
 * the highest n. A generation is created whole or not at all: its content is written to a temp
 * file, then hard-linked to `lock.<n>`, which fails if that name exists. So exactly one contender
 * creates each n. Taking the lock, free (the top is released) or stale (its holder is gone), is
 * creating top+1; releasing is replacing one's own generation by a released record (rename, so
 * the name stays taken). Deleting a stale lock, the race of the old single-file lock, never
 * happens. A contender that created n while someone created n+1 sees the higher one and backs
 * off; the holder of the top removes the generations below it.
 */
export const LOCK_PREFIX = 'lock.';

const LockRecord = z.object({
  actor: z.object({ via: z.enum(['slack', 'cli', 'watcher']), id: z.string(), name: z.string().optional(), channel: z.string().optional() }),
  action: z.string(),
  args: z.array(z.string()),
  since: z.string(),
  host: z.string(),
  pid: z.number().int(),
  startTime: z.string().optional(),
  bootId: z.string().optional(),
  pidNs: z.string().optional(),
  released: z.boolean().optional(),
});
type LockRecord = z.infer<typeof LockRecord>;

export interface FileClusterLockOptions {
  /** This process (tests pretend to be another one). */
  self?: ProcessIdentity;
  /** Is the holder gone for sure? Default: same host and boot, pid dead or reused. */
  isGone?: (holder: ProcessIdentity) => boolean;
}

export class FileClusterLock implements ClusterLock {
  readonly #self: ProcessIdentity;
  readonly #isGone: (holder: ProcessIdentity) => boolean;

  constructor(options: FileClusterLockOptions = {}) {
    this.#self = options.self ?? currentProcess();
    this.#isGone = options.isGone ?? ((h) => isGone(h, this.#self));
  }

  async acquire(cluster: ClusterHandle, holder: LockHolder): Promise<{ lease: LockLease } | { busy: LockHolder }> {
    const dir = join(cluster.dir, STATE_DIR);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const mine: LockRecord = { ...this.#self, actor: holder.actor, action: holder.action, args: [...holder.args], since: holder.since.toISOString() };
    for (let attempt = 0; attempt < 20; attempt++) {
      const top = await readTop(dir);
      if (top?.record && !top.record.released && !this.#isGone(top.record)) return { busy: toHolder(top.record) };
      const n = (top?.n ?? 0) + 1;
      const body = JSON.stringify(mine);
      if (!(await createGeneration(dir, n, body))) continue; // someone else made n: look again
      const highest = (await generations(dir))[0] ?? n;
      if (highest > n) {
        // a later generation exists: whoever made it decides; ours never held anything
        await replaceIfUnchanged(dir, n, body, JSON.stringify({ ...mine, released: true }));
        continue;
      }
      await removeBelow(dir, n);
      return { lease: { release: () => replaceIfUnchanged(dir, n, body, JSON.stringify({ ...mine, released: true })) } };
    }
    const top = await readTop(dir);
    if (top?.record && !top.record.released) return { busy: toHolder(top.record) };
    throw new Error(`cannot take the lock in ${dir}: it keeps changing hands`);
  }

  async holder(cluster: ClusterHandle): Promise<LockHolder | undefined> {
    const top = await readTop(join(cluster.dir, STATE_DIR));
    return top?.record && !top.record.released && !this.#isGone(top.record) ? toHolder(top.record) : undefined;
  }

  /** A released generation on top of the holder's: the next acquire takes it, whoever held it. */
  async break(cluster: ClusterHandle): Promise<LockHolder | undefined> {
    const dir = join(cluster.dir, STATE_DIR);
    for (let attempt = 0; attempt < 20; attempt++) {
      const top = await readTop(dir);
      if (!top?.record || top.record.released) return undefined;
      const released: LockRecord = {
        ...this.#self,
        actor: { via: 'cli', id: 'unlock' },
        action: 'unlock',
        args: [],
        since: new Date(systemClock()).toISOString(),
        released: true,
      };
      if (await createGeneration(dir, top.n + 1, JSON.stringify(released))) return toHolder(top.record);
    }
    throw new Error(`cannot break the lock in ${dir}: it keeps changing hands`);
  }
}

function toHolder(r: LockRecord): LockHolder {
  return { actor: r.actor, action: r.action, args: r.args, since: new Date(r.since), host: r.host, pid: r.pid };
}

/** Lock generations present, highest first. */
async function generations(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => /^lock\.[0-9]{1,15}$/.test(f))
    .map((f) => Number(f.slice(LOCK_PREFIX.length)))
    .sort((a, b) => b - a);
}

/** The top generation and its record (undefined record: unreadable, counted as free). */
async function readTop(dir: string): Promise<{ n: number; record: LockRecord | undefined } | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const n = (await generations(dir))[0];
    if (n === undefined) return undefined;
    try {
      const parsed = LockRecord.safeParse(JSON.parse(await readFile(join(dir, `${LOCK_PREFIX}${n}`), 'utf8')));
      return { n, record: parsed.success ? parsed.data : undefined };
    } catch (error) {
      // removed under us by a new holder's clean-up: look again
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { n, record: undefined };
    }
  }
  return undefined;
}

/** Create generation n whole, or report that it exists. */
async function createGeneration(dir: string, n: number, body: string): Promise<boolean> {
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await writeFile(tmp, body, { mode: 0o600 });
  try {
    await link(tmp, join(dir, `${LOCK_PREFIX}${n}`));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Release: swap our record for a released one, only if the generation is still ours. */
async function replaceIfUnchanged(dir: string, n: number, expected: string, next: string): Promise<void> {
  const path = join(dir, `${LOCK_PREFIX}${n}`);
  const now = await readFile(path, 'utf8').catch(() => undefined);
  if (now !== expected) return;
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await writeFile(tmp, next, { mode: 0o600 });
  await rename(tmp, path).catch(async () => unlink(tmp).catch(() => undefined));
}

async function removeBelow(dir: string, n: number): Promise<void> {
  for (const g of await generations(dir)) if (g < n) await unlink(join(dir, `${LOCK_PREFIX}${g}`)).catch(() => undefined);
}
