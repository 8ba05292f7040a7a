import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { STATE_DIR } from '../../../contract/cluster-files.js';
import { currentProcess } from '../../../ops/lock/process-identity.js';
import { packageRoot } from '../../../lib/package-root.js';

/**
 * Several processes take over one stale lock at the same instant: exactly one may win. (The old
 * single-file lock let the slower one delete the lock the faster one had just created: 7 of 25
 * rounds had two holders with two processes, 9 of 10 with three.)
 */
const LOCK_MODULE = join(packageRoot(), 'dist', 'ops', 'lock', 'file-cluster-lock.js');

const CONTENDER = `
const { FileClusterLock } = await import(process.argv[1]);
const [dir, startAt] = [process.argv[2], Number(process.argv[3])];
while (Date.now() < startAt) {} // spin, so every contender starts within the same millisecond
const got = await new FileClusterLock().acquire({ dir, manifest: {} }, { actor: { via: 'cli', id: 'p' + process.pid }, action: 'deploy', args: [], since: new Date() });
process.stdout.write('lease' in got ? 'won' : 'busy');
await new Promise((r) => setTimeout(r, 400)); // hold it while the others look
`;

async function round(contenders: number): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-lock-race-'));
  try {
    const state = join(dir, STATE_DIR);
    await mkdir(state, { recursive: true });
    // a lock left by a process of this machine that no longer exists
    const dead = { ...currentProcess(), pid: 4_000_000, startTime: '1' };
    await writeFile(join(state, 'lock.1'), JSON.stringify({ ...dead, actor: { via: 'cli', id: 'ghost' }, action: 'deploy', args: [], since: '2026-01-01T00:00:00.000Z' }));
    const startAt = Date.now() + 600;
    const runs = Array.from({ length: contenders }, () => execa('node', ['--input-type=module', '-e', CONTENDER, LOCK_MODULE, dir, String(startAt)], { timeout: 20_000 }));
    return (await Promise.all(runs)).map((r) => String(r.stdout));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('stale lock takeover is atomic across processes', () => {
  test('two processes, 25 rounds: exactly one holder each round', async () => {
    const winners: number[] = [];
    for (let i = 0; i < 25; i++) winners.push((await round(2)).filter((r) => r === 'won').length);
    expect(winners).toEqual(Array(25).fill(1));
  }, 120_000);

  test('three processes, 10 rounds: exactly one holder each round', async () => {
    const winners: number[] = [];
    for (let i = 0; i < 10; i++) winners.push((await round(3)).filter((r) => r === 'won').length);
    expect(winners).toEqual(Array(10).fill(1));
  }, 120_000);
});
