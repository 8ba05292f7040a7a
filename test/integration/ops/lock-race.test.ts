import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { STATE_DIR } from '../../../contract/cluster-files.js';
import { currentProcess } from '../../../ops/lock/process-identity.js';
import { packageRoot } from '../../../lib/package-root.js';

/**
 * Several processes take over one stale lock at the same instant: exactly one may win. (The old
 * single-file lock let the slower one delete the lock the faster one had just created; with this
 * test it had two holders in 2 to 7 of 25 rounds with two processes, two or three in 5 to 9 of 10
 * with three.)
 *
 * Each contender is one process that plays every round, so node starts once per contender, not
 * once per round: round i has its own cluster folder and starts for everyone at startAt + i * STEP.
 * A contender never releases what it won, and stays alive until every contender has played its
 * last round, so every lock it won stays held by a live process while the others try. (Without
 * that wait, a contender started late on a loaded machine found an exited winner's lock and
 * rightly took it over: two "winners" of one round, by the test's own doing.)
 */
const LOCK_MODULE = join(packageRoot(), 'dist', 'ops', 'lock', 'file-cluster-lock.js');
const STEP_MS = 30;

const CONTENDER = `
const { readdirSync, writeFileSync } = await import('node:fs');
const { FileClusterLock } = await import(process.argv[1]);
const [root, startAt, step, rounds, contenders] = [process.argv[2], ...process.argv.slice(3).map(Number)];
const lock = new FileClusterLock();
let out = '';
for (let i = 0; i < rounds; i++) {
  while (Date.now() < startAt + i * step) {} // spin, so every contender starts within the same millisecond
  const got = await lock.acquire({ dir: root + '/' + i, manifest: {} }, { actor: { via: 'cli', id: 'p' + process.pid }, action: 'deploy', args: [], since: new Date() });
  out += 'lease' in got ? 'W' : '-';
}
// stay alive until every contender has played every round: a loaded machine may start one
// contender late, and a lock whose holder has exited is rightly taken over
writeFileSync(root + '/done.' + process.pid, '');
const deadline = Date.now() + 15000;
while (readdirSync(root).filter((n) => n.startsWith('done.')).length < contenders && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
process.stdout.write(out);
`;

/** Holders per round. */
async function race(contenders: number, rounds: number): Promise<number[]> {
  const root = await mkdtemp(join(tmpdir(), 'rmq-lock-race-'));
  try {
    // in every round's folder, a lock left by a process of this machine that no longer exists
    const dead = { ...currentProcess(), pid: 4_000_000, startTime: '1' };
    for (let i = 0; i < rounds; i++) {
      await mkdir(join(root, String(i), STATE_DIR), { recursive: true });
      await writeFile(
        join(root, String(i), STATE_DIR, 'lock.1'),
        JSON.stringify({ ...dead, actor: { via: 'cli', id: 'ghost' }, action: 'deploy', args: [], since: '2026-01-01T00:00:00.000Z' }),
      );
    }
    const startAt = Date.now() + 500; // every node is up by then
    const argv = [LOCK_MODULE, root, String(startAt), String(STEP_MS), String(rounds), String(contenders)];
    const runs = await Promise.all(
      Array.from({ length: contenders }, () => execa('node', ['--input-type=module', '-e', CONTENDER, ...argv], { timeout: 20_000 })),
    );
    return Array.from({ length: rounds }, (_, i) => runs.filter((r) => String(r.stdout)[i] === 'W').length);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('stale lock takeover is atomic across processes', () => {
  test('two processes, 50 rounds: exactly one holder each round', async () => {
    expect(await race(2, 50)).toEqual(Array(50).fill(1));
  }, 30_000);

  test('three processes, 20 rounds: exactly one holder each round', async () => {
    expect(await race(3, 20)).toEqual(Array(20).fill(1));
  }, 30_000);
});
