import { afterAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { ExecaRunner } from '../../ops/runner/execa-runner.js';
import { isAlive } from './harness/processes.js';
import { bridgeName, forwardRule } from './harness/machines/lan.js';
import { machineDirs, reapMachineLeftovers } from './harness/machines/machine-leftovers.js';
import { removeLeftoverDirs } from './harness/generated-cluster.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What a killed multi-host run leaves (a machine's namespace with a process still in it, the LAN
 * bridge, its FORWARD rule, the machines' folders) is removed by the next run, by the dead run's
 * pid; a live run's machines are left alone.
 */
const runner = new ExecaRunner();
const created: { pids: number[]; netns: string[]; links: string[]; dirs: string[]; rules: string[] } = { pids: [], netns: [], links: [], dirs: [], rules: [] };

async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  // the pid of a process that has exited and been reaped
  return child.pid!;
}

async function fakeRun(pid: number): Promise<{ netns: string; bridge: string; sleeper: number; dirs: { data: string; run: string } }> {
  const netns = `rmqm${pid}-mq1`;
  const bridge = bridgeName(pid);
  await execa('ip', ['netns', 'add', netns]);
  created.netns.push(netns);
  await execa('ip', ['link', 'add', bridge, 'type', 'bridge']);
  created.links.push(bridge);
  await execa('iptables', ['-I', 'FORWARD', ...forwardRule(bridge)]);
  created.rules.push(bridge);
  // a machine's process that outlived its run (detached: it must not be this test's child)
  const sleeper = execa('nsenter', [`--net=/var/run/netns/${netns}`, 'sleep', '600'], { detached: true, stdio: 'ignore', reject: false });
  sleeper.unref();
  created.pids.push(sleeper.pid!);
  const dirs = machineDirs(pid);
  for (const d of [dirs.data, dirs.run]) {
    mkdirSync(d, { recursive: true });
    writeFileSync(`${d}/marker`, 'x');
    created.dirs.push(d);
  }
  // nsenter execs sleep: wait until it is in the namespace
  for (let i = 0; i < 50 && (await execa('ip', ['netns', 'pids', netns])).stdout.trim() === ''; i++) await new Promise((r) => setTimeout(r, 100));
  return { netns, bridge, sleeper: sleeper.pid!, dirs };
}

describe('machine leftovers of a killed run', () => {
  afterAll(async () => {
    for (const pid of created.pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const b of created.rules) await runner.run({ file: 'iptables', args: ['-D', 'FORWARD', ...forwardRule(b)], timeoutMs: 10_000 });
    for (const n of created.netns) await runner.run({ file: 'ip', args: ['netns', 'del', n], timeoutMs: 10_000 });
    for (const l of created.links) await runner.run({ file: 'ip', args: ['link', 'del', l], timeoutMs: 10_000 });
    for (const d of created.dirs) await rm(d, { recursive: true, force: true });
  }, 60_000);

  it('are removed by the next run, by the dead pid; a live run is not touched', async () => {
    const dead = await fakeRun(await deadPid());
    // this process stands for a live run
    const live = await fakeRun(process.pid === 1 ? 2 : process.ppid);
    expect(isAlive(dead.sleeper)).toBe(true);

    await reapMachineLeftovers(runner);

    const netns = (await execa('ip', ['netns', 'list'])).stdout;
    const links = (await execa('ip', ['-o', 'link', 'show'])).stdout;
    const forward = (await execa('iptables', ['-S', 'FORWARD'])).stdout;
    expect(isAlive(dead.sleeper)).toBe(false);
    expect(netns).not.toContain(dead.netns);
    expect(links).not.toContain(`${dead.bridge}:`);
    expect(forward).not.toContain(`-i ${dead.bridge} `);
    expect([existsSync(dead.dirs.data), existsSync(dead.dirs.run)]).toEqual([false, false]);

    expect(isAlive(live.sleeper)).toBe(true);
    expect(netns).toContain(live.netns);
    expect(links).toContain(`${live.bridge}:`);
    expect(forward).toContain(`-i ${live.bridge} `);
    expect([existsSync(live.dirs.data), existsSync(live.dirs.run)]).toEqual([true, true]);
  }, 60_000);

  it("a killed run's multi-host cluster folder is removed by the next; a live run's stays", async () => {
    const dead = join(tmpdir(), `rmqt-multihost-${await deadPid()}-a1b2c3-Xy9Zab`);
    const live = join(tmpdir(), `rmqt-multihost-${process.pid}-a1b2c3-Xy9Zab`);
    for (const d of [dead, live]) {
      mkdirSync(d, { recursive: true });
      created.dirs.push(d);
    }
    removeLeftoverDirs();
    expect([existsSync(dead), existsSync(live)]).toEqual([false, true]);
  }, 30_000);
});
