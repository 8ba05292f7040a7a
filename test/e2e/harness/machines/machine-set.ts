import { mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureAptPackages } from '../apt.js';
import { dockerChecked } from '../docker.js';
import type { E2eHarness } from '../e2e-env.js';
import { unmountUnder } from '../mounts.js';
import { chooseStorageDriver } from '../storage-driver.js';
import { createLan, removeLan, type Lan } from './lan.js';
import { Machine, type MachinePlace } from './machine.js';
import { reapMachineLeftovers, machineDirs } from './machine-leftovers.js';
import { createSshAccess, type SshAccess } from './ssh-access.js';

/**
 * Several machines on one LAN, reachable from this (root) namespace the way an operator's laptop
 * reaches real ones: ssh with a key, docker over DOCKER_HOST=ssh://root@<address>.
 */
export interface MachineSet {
  lan: Lan;
  ssh: SshAccess;
  machines: Map<string, Machine>;
  get(name: string): Machine;
  /**
   * Environment for the product (CLI child process, or the in-process ops runner): the ssh
   * wrapper first on PATH and a Docker config with the Compose plugin; no DOCKER_HOST, so nothing
   * reaches an engine except through a host's `docker:`.
   */
  productEnv: Record<string, string>;
  /** A docker context named `name` for ssh://root@<machine> in the product's Docker config. */
  addContext(name: string, machine: Machine): Promise<void>;
  timings: { bootMs: number; imagesMs: number; imageBytes: number };
  /** Every machine down, namespaces, bridge, folders gone. Idempotent. */
  destroy(): Promise<void>;
}

/** The seed's production layout: one broker per machine, two load-balancer machines. */
export const THREE_BROKERS_TWO_LBS: Array<Omit<MachinePlace, 'index'>> = [
  { name: 'mq1', hostNumber: 11 },
  { name: 'mq2', hostNumber: 12 },
  { name: 'mq3', hostNumber: 13 },
  { name: 'lb1', hostNumber: 21 },
  { name: 'lb2', hostNumber: 22 },
];

export async function startMachines(h: E2eHarness, places: Array<Omit<MachinePlace, 'index'>>, images: string[]): Promise<MachineSet> {
  const runner = h.runner;
  await ensureAptPackages(runner, ['sshd', 'ssh', 'ssh-keygen'], ['openssh-server', 'openssh-client'], 'the multi-host e2e machines');
  await reapMachineLeftovers(runner);
  const runId = `rmqm${process.pid}`;
  const dirs = machineDirs(process.pid);
  mkdirSync(dirs.data, { recursive: true });
  mkdirSync(dirs.run, { recursive: true });
  const machines = new Map<string, Machine>();
  let lan: Lan | undefined;
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    // all at once: an orderly dockerd stop takes seconds each
    await Promise.allSettled([...machines.values()].map((m) => m.shutdown()));
    if (lan) await removeLan(runner, lan);
    await unmountUnder(runner, dirs.data);
    await unmountUnder(runner, dirs.run);
    await rm(dirs.data, { recursive: true, force: true });
    await rm(dirs.run, { recursive: true, force: true });
  };
  try {
    const t0 = Date.now();
    lan = await createLan(runner);
    const composePlugins = h.compose.dockerConfig ? join(h.compose.dockerConfig, 'cli-plugins') : undefined;
    const ssh = await createSshAccess(runner, join(dirs.run, 'operator'), composePlugins);
    const driver = (await chooseStorageDriver(runner, join(dirs.data, 'probe'))).driver;
    places.forEach((place, index) => machines.set(place.name, new Machine(runner, { ...place, index }, lan!, ssh, runId, dirs, driver)));
    await Promise.all([...machines.values()].map((m) => m.boot()));
    const t1 = Date.now();

    // docker save | docker load, through a file: the runner connects no two programs
    const tarball = join(dirs.data, 'images.tar');
    await dockerChecked(runner, ['save', '-o', tarball, ...images], h.env, 600_000);
    const imageBytes = statSync(tarball).size;
    for (const m of machines.values()) await dockerChecked(runner, ['load', '-q', '-i', tarball], m.localDockerEnv, 600_000);
    await rm(tarball, { force: true });
    const t2 = Date.now();

    const set: MachineSet = {
      lan,
      ssh,
      machines,
      get(name) {
        const m = machines.get(name);
        if (!m) throw new Error(`no machine ${name}`);
        return m;
      },
      productEnv: { PATH: `${ssh.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, DOCKER_CONFIG: ssh.dockerConfig },
      async addContext(name, machine) {
        await dockerChecked(runner, ['context', 'create', name, '--docker', `host=${machine.sshUrl}`], { DOCKER_CONFIG: ssh.dockerConfig }, 30_000);
      },
      timings: { bootMs: t1 - t0, imagesMs: t2 - t1, imageBytes },
      destroy,
    };
    return set;
  } catch (error) {
    await destroy().catch(() => undefined);
    throw error;
  }
}
