import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeManifest } from '../../../support/memory-ops.js';
import { FileAuditSink, MaskedAuditSink } from '../../../../ops/audit.js';
import { FileClusterLock } from '../../../../ops/lock.js';
import { currentProcess } from '../../../../ops/lock/process-identity.js';
import { STATE_DIR } from '../../../../contract/cluster-files.js';

const holder = (id: string) => ({ actor: { via: 'cli' as const, id }, action: 'deploy', args: [], since: new Date('2026-01-01T00:00:00Z') });

describe('FileClusterLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));
  const cluster = () => ({ dir, manifest: fakeManifest() });
  const me = currentProcess();
  const writeGeneration = async (n: number, who: Record<string, unknown>) => {
    await mkdir(join(dir, STATE_DIR), { recursive: true });
    await writeFile(
      join(dir, STATE_DIR, `lock.${n}`),
      JSON.stringify({ ...holder(String(who.id ?? 'ghost')), since: '2026-01-01T00:00:00.000Z', ...who, actor: { via: 'cli', id: who.id ?? 'ghost' } }),
    );
  };

  test('second acquirer is told who holds it, where and since when; release frees it', async () => {
    const lock = new FileClusterLock();
    const first = await lock.acquire(cluster(), holder('alice'));
    expect('lease' in first).toBe(true);
    const second = await new FileClusterLock().acquire(cluster(), holder('bob'));
    expect(second).toEqual({ busy: { ...holder('alice'), host: me.host, pid: process.pid } });
    expect((await lock.holder(cluster()))?.actor.id).toBe('alice');
    if ('lease' in first) await first.lease.release();
    expect(await lock.holder(cluster())).toBeUndefined();
    expect('lease' in (await new FileClusterLock().acquire(cluster(), holder('bob')))).toBe(true);
    // the holder of the top generation cleaned up those below it
    expect((await readdir(join(dir, STATE_DIR))).filter((f) => f.startsWith('lock.'))).toEqual(['lock.2']);
  });

  test('a lock left by a dead process of this machine is taken over', async () => {
    await writeGeneration(1, { ...me, pid: 4_000_000, id: 'ghost' });
    const lock = new FileClusterLock();
    expect(await lock.holder(cluster())).toBeUndefined();
    expect('lease' in (await lock.acquire(cluster(), holder('alice')))).toBe(true);
  });

  test('a live pid that started at another time is not the holder (pid reused): taken over', async () => {
    await writeGeneration(1, { ...me, startTime: '12345', id: 'ghost' });
    expect(await new FileClusterLock().holder(cluster())).toBeUndefined();
    expect('lease' in (await new FileClusterLock().acquire(cluster(), holder('alice')))).toBe(true);
  });

  test('a holder after a reboot is gone', async () => {
    await writeGeneration(1, { ...me, bootId: 'another-boot', id: 'ghost' });
    expect(await new FileClusterLock().holder(cluster())).toBeUndefined();
  });

  test('a holder in another pid namespace of this host (a container on the host network) is held, whatever its pid is here', async () => {
    // pid 4_000_000 is free here and our own pid is alive with another start time: neither says anything about that process
    for (const pid of [4_000_000, process.pid]) {
      await rm(join(dir, STATE_DIR), { recursive: true, force: true });
      await writeGeneration(1, { ...me, pid, startTime: '1', pidNs: 'pid:[4026532999]', id: 'bot' });
      expect(await new FileClusterLock().holder(cluster())).toMatchObject({ actor: { id: 'bot' }, host: me.host, pid });
      expect(await new FileClusterLock().acquire(cluster(), holder('alice'))).toEqual({ busy: expect.objectContaining({ actor: { via: 'cli', id: 'bot' } }) });
    }
    // ... until the machine reboots
    await writeGeneration(2, { ...me, pid: 4_000_000, pidNs: 'pid:[4026532999]', bootId: 'another-boot', id: 'bot' });
    expect(await new FileClusterLock().holder(cluster())).toBeUndefined();
  });

  test('the lock records the pid namespace next to host, boot, pid and start time', async () => {
    const got = await new FileClusterLock().acquire(cluster(), holder('alice'));
    expect('lease' in got).toBe(true);
    const record = JSON.parse(await readFile(join(dir, STATE_DIR, 'lock.1'), 'utf8'));
    expect(record).toMatchObject({
      host: me.host,
      pid: process.pid,
      pidNs: expect.stringMatching(/^pid:\[[0-9]+\]$/),
      startTime: expect.any(String),
      bootId: expect.any(String),
    });
  });

  test('a holder on another machine is never judged gone; unlock breaks it and says whose it was', async () => {
    await writeGeneration(1, { host: 'build-7', pid: 4242, id: 'carol' });
    const lock = new FileClusterLock();
    const busy = await lock.acquire(cluster(), holder('alice'));
    expect(busy).toEqual({ busy: expect.objectContaining({ actor: { via: 'cli', id: 'carol' }, host: 'build-7', pid: 4242 }) });
    expect(await lock.break(cluster())).toMatchObject({ actor: { id: 'carol' }, host: 'build-7' });
    expect(await lock.holder(cluster())).toBeUndefined();
    expect('lease' in (await lock.acquire(cluster(), holder('alice')))).toBe(true);
    expect(await lock.break(cluster())).toMatchObject({ actor: { id: 'alice' } });
    expect(await lock.break(cluster())).toBeUndefined();
  });
});

test('FileAuditSink appends one JSON line per record; MaskedAuditSink (the one masking step) masks secrets before it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-audit-'));
  try {
    const sink = new MaskedAuditSink(new FileAuditSink(join(dir, 'logs', 'audit.log')), () => ['Sup3r-Secret']);
    const entry = {
      time: '2026-01-01T00:00:00.000Z',
      actor: { via: 'slack' as const, id: 'U1', channel: 'C1' },
      action: 'join',
      cluster: 'seed',
      args: ['rabbit2', 'Sup3r-Secret'],
      result: 'ok' as const,
      durationMs: 5,
      detail: 'said Sup3r-Secret',
    };
    await sink.record(entry);
    await sink.record({ ...entry, result: 'failed' });
    const lines = (await readFile(join(dir, 'logs', 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      time: entry.time,
      actor: entry.actor,
      channel: 'C1',
      cluster: 'seed',
      action: 'join',
      args: ['rabbit2', '***'],
      result: 'ok',
      durationMs: 5,
      detail: 'said ***',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
