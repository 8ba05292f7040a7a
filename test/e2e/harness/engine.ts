import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { ExecaRunner, runChecked } from '../../../ops/runner/execa-runner.js';
import { canUseApt, ensureAptPackages } from './apt.js';
import { docker, serverVersion } from './docker.js';
import { ENGINE_CGROUP_PARENT, reapEngine } from './engine-reaper.js';
import { clearEngineState, liveOwners, readEngineState, writeEngineState, type EngineState } from './engine-state.js';
import { withFileLock } from './lock.js';
import { ENGINE_TMP_PREFIX, paths } from './paths.js';
import { isAlive, readPidFile } from './processes.js';
import { chooseStorageDriver, type StorageDriver } from './storage-driver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface DockerEngine {
  /** Value for DOCKER_HOST in every child process. */
  dockerHost: string;
  /** True when the harness started (and will stop) its own dockerd. */
  private: boolean;
  serverVersion: string;
  storageDriver?: string;
  /**
   * Highest `ulimits: nofile` a container can get from a private engine (its dockerd's hard limit);
   * undefined for an engine we did not start.
   */
  nofileLimit?: number;
  /** Releases this holder's use; the last holder of a private engine stops it. Idempotent. */
  stop(): Promise<void>;
}

/** Held only to reap and start an engine (image builds take their own lock). */
const LOCK_TIMEOUT_MS = 5 * 60_000;

/**
 * A Docker engine for the e2e tests: the one the environment already points at (DOCKER_HOST or the
 * default socket), else a private dockerd on a stable data root (images survive between runs),
 * shared by concurrent test files and stopped by the last one.
 */
export async function ensureDockerEngine(runner: CommandRunner = new ExecaRunner()): Promise<DockerEngine> {
  const existing = await serverVersion(runner, {});
  if (existing) {
    return { dockerHost: await currentHost(runner), private: false, serverVersion: existing, stop: async () => {} };
  }
  if (!canUseApt()) {
    throw new Error(
      'no Docker engine answers (docker info fails) and none can be started here (needs root on Debian with apt-get): start dockerd or set DOCKER_HOST to a running engine',
    );
  }
  await ensureAptPackages(runner, ['dockerd', 'docker'], ['docker.io'], 'the e2e tests need a Docker engine');
  mkdirSync(paths.cache, { recursive: true });

  const state = await withFileLock(paths.lock, LOCK_TIMEOUT_MS, () => acquire(runner));
  const version = await serverVersion(runner, { DOCKER_HOST: state.dockerHost });
  if (!version) throw new Error(`the private dockerd at ${state.dockerHost} stopped answering`);
  return privateEngine(runner, state, version);
}

async function acquire(runner: CommandRunner): Promise<EngineState> {
  const known = readEngineState();
  if (known && liveOwners(known).length > 0 && isAlive(known.pid)) {
    // a busy engine may miss one probe; reaping it would pull it from under its live users
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await serverVersion(runner, { DOCKER_HOST: known.dockerHost })) {
        const shared = { ...known, owners: [...liveOwners(known), process.pid] };
        writeEngineState(shared);
        return shared;
      }
      await sleep(1000);
    }
  }
  // nobody alive uses what is there: it is a killed run's leftover
  await reapEngine(runner, known?.pid);
  clearEngineState();
  const started = await startDockerd(runner);
  writeEngineState(started);
  return started;
}

function privateEngine(runner: CommandRunner, state: EngineState, version: string): DockerEngine {
  let released = false;
  return {
    dockerHost: state.dockerHost,
    private: true,
    serverVersion: version,
    storageDriver: state.storageDriver,
    nofileLimit: state.nofileLimit,
    stop: async () => {
      if (released) return;
      released = true;
      await withFileLock(paths.lock, LOCK_TIMEOUT_MS, async () => {
        const now = readEngineState();
        if (!now || now.pid !== state.pid) return;
        const owners = liveOwners(now);
        const mine = owners.indexOf(process.pid);
        if (mine >= 0) owners.splice(mine, 1);
        if (owners.length > 0) {
          writeEngineState({ ...now, owners });
          return;
        }
        await reapEngine(runner, now.pid);
        clearEngineState();
      });
    },
  };
}

async function startDockerd(runner: CommandRunner): Promise<EngineState> {
  const choice = await chooseStorageDriver(runner, paths.dockerDataRoot);
  try {
    return await launch(runner, choice.driver);
  } catch (error) {
    // a fresh data root whose overlay probe passed but whose dockerd still refuses overlay2
    if (choice.driver === 'overlay2' && !choice.reason.includes('already holds') && /overlay/i.test(String(error))) {
      return launch(runner, 'vfs');
    }
    throw error;
  }
}

async function launch(runner: CommandRunner, driver: StorageDriver): Promise<EngineState> {
  const tmpDir = await mkdtemp(ENGINE_TMP_PREFIX);
  const dockerHost = `unix://${tmpDir}/docker.sock`;
  const log = join(tmpDir, 'dockerd.log');
  // an empty config file: the machine's /etc/docker/daemon.json (hosts, data-root...) must not leak in
  writeFileSync(join(tmpDir, 'daemon.json'), '{}\n');
  const dockerdArgs = [
    ...['--data-root', paths.dockerDataRoot, '--exec-root', join(tmpDir, 'exec')],
    ...['--host', dockerHost, '--pidfile', join(tmpDir, 'docker.pid'), '--config-file', join(tmpDir, 'daemon.json')],
    ...['--storage-driver', driver, '--cgroup-parent', ENGINE_CGROUP_PARENT, '--log-level', 'warn'],
    // no docker0: it would outlive the daemon on the host; compose projects bring their own networks
    '--bridge=none',
  ];
  // Containers cannot get more than the daemon's hard limits: `ulimits: nofile: 65536` fails with
  // "error setting rlimit type 7" above them. docker.service lifts them (LimitNOFILE=infinity);
  // prlimit (which execs dockerd, same pid) does the same when we hold CAP_SYS_RESOURCE.
  const nofile = canRaiseLimits() ? maxOpenFiles() : currentNofileHardLimit();
  const program = canRaiseLimits() ? [which('prlimit'), '--', `--nofile=${nofile}`, '--nproc=unlimited', which('dockerd')] : [which('dockerd'), '--'];
  // the runner waits for programs to end; start-stop-daemon detaches dockerd and returns at once
  await runChecked(runner, {
    file: 'start-stop-daemon',
    args: ['--start', '--background', '--make-pidfile', '--pidfile', join(tmpDir, 'ssd.pid'), '--output', log, '--exec', ...program, ...dockerdArgs],
    timeoutMs: 15_000,
  });
  const pid = readPidFile(join(tmpDir, 'ssd.pid'));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (pid === undefined || !isAlive(pid)) break;
    if (await serverVersion(runner, { DOCKER_HOST: dockerHost })) {
      return { pid, tmpDir, dockerHost, storageDriver: driver, nofileLimit: nofile, owners: [process.pid] };
    }
    await sleep(200);
  }
  const why = tail(log);
  await reapEngine(runner, pid);
  throw new Error(`private dockerd (${driver}) did not come up: ${why}`);
}

/** Bit 24 of the effective capabilities; sandboxes often drop it even for root. */
function canRaiseLimits(): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return hex !== undefined && (BigInt(`0x${hex}`) & (1n << 24n)) !== 0n;
}

function currentNofileHardLimit(): number {
  const line = /^Max open files\s+\S+\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  return line === undefined || line === 'unlimited' ? maxOpenFiles() : Number(line);
}

/** What LimitNOFILE=infinity gives docker.service: the kernel's ceiling. */
function maxOpenFiles(): number {
  try {
    return Math.min(Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim()) || 1_048_576, 1_048_576);
  } catch {
    return 1_048_576;
  }
}

function tail(file: string): string {
  if (!existsSync(file)) return 'no log';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
}

function which(binary: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin'];
  const found = dirs.map((dir) => join(dir, binary)).find((file) => existsSync(file));
  if (!found) throw new Error(`${binary} not found on PATH`);
  return found;
}

/** Where a working client without DOCKER_HOST is pointed (its current context). */
async function currentHost(runner: CommandRunner): Promise<string> {
  if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
  const context = await runner.run(docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], {}, 10_000));
  return context.exitCode === 0 && context.stdout.trim() ? context.stdout.trim() : 'unix:///var/run/docker.sock';
}
