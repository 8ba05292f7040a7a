import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeManifest } from '../../support/memory-ops.js';
import { FileAuditSink } from '../../../ops/audit.js';
import { FileClusterLock, LOCK_FILE } from '../../../ops/lock.js';

const holder = (id: string) => ({ actor: { via: 'cli' as const, id }, action: 'deploy', args: [], since: new Date('2026-01-01T00:00:00Z') });

describe('FileClusterLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  test('second acquirer is told who holds it; release frees it', async () => {
    const cluster = { dir, manifest: fakeManifest() };
    const lock = new FileClusterLock();
    const first = await lock.acquire(cluster, holder('alice'));
    expect('lease' in first).toBe(true);
    const second = await new FileClusterLock().acquire(cluster, holder('bob'));
    expect(second).toEqual({ busy: holder('alice') });
    expect((await lock.holder(cluster))?.actor.id).toBe('alice');
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    if ('lease' in first) await first.lease.release();
    await expect(stat(join(dir, LOCK_FILE))).rejects.toThrow();
  });

  test('a lock left by a dead process is stale and taken over', async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...holder('ghost'), since: '2026-01-01T00:00:00Z', pid: 999_999 }));
    const cluster = { dir, manifest: fakeManifest() };
    const lock = new FileClusterLock((pid) => pid === process.pid);
    expect(await lock.holder(cluster)).toBeUndefined();
    expect('lease' in (await lock.acquire(cluster, holder('alice')))).toBe(true);
  });
});

test('FileAuditSink appends one JSON line per record, secrets masked', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-audit-'));
  try {
    const sink = new FileAuditSink(join(dir, 'logs', 'audit.log'), () => ['Sup3r-Secret']);
    const entry = { time: '2026-01-01T00:00:00.000Z', actor: { via: 'slack' as const, id: 'U1', channel: 'C1' }, action: 'join', cluster: 'seed', args: ['rabbit2', 'Sup3r-Secret'], result: 'ok' as const, durationMs: 5, detail: 'said Sup3r-Secret' };
    await sink.record(entry);
    await sink.record({ ...entry, result: 'failed' });
    const lines = (await readFile(join(dir, 'logs', 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ time: entry.time, actor: entry.actor, channel: 'C1', cluster: 'seed', action: 'join', args: ['rabbit2', '***'], result: 'ok', durationMs: 5, detail: 'said ***' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
