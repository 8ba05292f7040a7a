import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CommandRunner } from '../../../../ops/runner/command.js';
import { runChecked } from '../../../../ops/runner/execa-runner.js';
import { ensureAptPackages } from '../apt.js';
import { findProcesses, isAlive, readPidFile, terminate } from '../processes.js';
import type { Lan } from './lan.js';
import { parsePcap } from './pcap-file.js';

export { findInCapture, type CaptureSearch, type NeedleHits } from './pcap-search.js';

/**
 * A packet capture on one interface (the LAN bridge, or `lo`), written by tcpdump to a pcap file
 * in a temp folder named after this process (`rmqcap<pid>-…`), so a later run can find a killed
 * run's tcpdump by that folder on its command line and stop it (reapCaptureLeftovers).
 *
 * tcpdump runs in promiscuous mode (no -p) on purpose: on a Linux bridge, frames forwarded from one
 * port to another reach the bridge device's packet taps only while the bridge is promiscuous.
 */
export interface PacketCapture {
  iface: string;
  file: string;
  pid: number;
  /** SIGINT (tcpdump flushes and closes the file), SIGKILL after `graceMs`; then the file. Idempotent. */
  stop(graceMs?: number): Promise<CaptureResult>;
  /** Stops it if need be and deletes the folder. Idempotent; call it in a finally. */
  remove(): Promise<void>;
}

export interface CaptureResult {
  pcap: Buffer;
  packets: number;
}

export const CAPTURE_PREFIX = 'rmqcap';
const SETTLE_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startLanCapture(runner: CommandRunner, lan: Lan, filter: readonly string[] = []): Promise<PacketCapture> {
  return startCapture(runner, lan.bridge, filter);
}

/**
 * Starts tcpdump on `iface` with an optional BPF filter (as words: ['tcp', 'port', '5671']) and
 * resolves once it is capturing: it prints "listening on" after the filter is installed on an
 * active capture, so nothing sent after this resolves is missed.
 */
export async function startCapture(runner: CommandRunner, iface: string, filter: readonly string[] = [], startTimeoutMs = 15_000): Promise<PacketCapture> {
  await ensureAptPackages(runner, ['tcpdump'], ['tcpdump'], 'capturing the LAN');
  await reapCaptureLeftovers();
  const dir = mkdtempSync(join(tmpdir(), `${CAPTURE_PREFIX}${process.pid}-${randomBytes(3).toString('hex')}-`));
  const file = join(dir, 'capture.pcap');
  const log = join(dir, 'tcpdump.log');
  const pidFile = join(dir, 'tcpdump.pid');
  try {
    // start-stop-daemon, as the machines' daemons: the runner waits for programs to end, this one
    // must outlive the call; its pid file gives the pid, --output its stderr
    await runChecked(
      runner,
      {
        file: 'start-stop-daemon',
        args: [
          ...['--start', '--background', '--make-pidfile', '--pidfile', pidFile, '--output', log, '--exec', programPath('tcpdump'), '--'],
          // --immediate-mode: libpcap's TPACKET_V3 otherwise hands packets over in blocks, a block
          // at most every second, and a SIGINT drops the block not handed over yet (the last packets
          // of a test, seen missing here); -U: each packet reaches the file when tcpdump has it;
          // -s 0: whole frames; -n: no DNS lookups (traffic of their own); -Z root: no switch to
          // the tcpdump user, the file stays root's as its folder is
          ...['-i', iface, '-w', file, '--immediate-mode', '-U', '-s', '0', '-n', '-Z', 'root', ...filter],
        ],
        timeoutMs: 15_000,
      },
      `starting tcpdump on ${iface}`,
    );
    const pid = readPidFile(pidFile);
    if (pid === undefined) throw new Error(`tcpdump on ${iface} left no pid file`);
    const deadline = Date.now() + startTimeoutMs;
    while (!readText(log).includes('listening on')) {
      if (!isAlive(pid)) throw new Error(`tcpdump on ${iface} exited: ${readText(log).trim() || 'no output'}`);
      if (Date.now() > deadline) {
        await terminate([pid], 2000).catch(() => undefined);
        throw new Error(`tcpdump on ${iface} was not capturing within ${startTimeoutMs} ms: ${readText(log).trim() || 'no output'}`);
      }
      await sleep(50);
    }
    return captureHandle(iface, dir, file, pid);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function captureHandle(iface: string, dir: string, file: string, pid: number): PacketCapture {
  let stopped: Promise<CaptureResult> | undefined;
  const stop = (graceMs = 10_000) =>
    (stopped ??= (async () => {
      await interrupt(pid, graceMs);
      const pcap = await readFile(file);
      return { pcap, packets: parsePcap(pcap).packets.length };
    })());
  return {
    iface,
    file,
    pid,
    stop,
    remove: async () => {
      // stopping first: a tcpdump left running would write on into a deleted file
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** SIGINT, wait, SIGKILL: tcpdump writes out what it buffered and its statistics on SIGINT. */
async function interrupt(pid: number, graceMs: number): Promise<void> {
  // a packet the receiver already has may still wait in the capture ring: let tcpdump read it
  // before its loop is broken off
  await sleep(SETTLE_MS);
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) await terminate([pid], 0);
}

/**
 * A killed run's captures: the tcpdump whose command line names its folder, and the folder. Only
 * folders whose pid is gone are touched (a live run, another jest worker, keeps its capture).
 */
export async function reapCaptureLeftovers(): Promise<string[]> {
  const reaped: string[] = [];
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(new RegExp(`^${CAPTURE_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const dir = join(tmpdir(), name);
    // terminate throws when a process outlives its SIGKILL: that is reported, not swallowed, and
    // the folder stays for whatever still writes into it
    await terminate(findProcesses([dir]), 2000);
    await rm(dir, { recursive: true, force: true });
    reaped.push(dir);
  }
  return reaped;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** start-stop-daemon wants the program's path; tcpdump is in /usr/bin on Debian, /usr/sbin elsewhere. */
function programPath(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin'];
  const found = dirs
    .filter(Boolean)
    .map((d) => join(d, name))
    .find((path) => existsSync(path));
  if (!found) throw new Error(`${name} is not installed`);
  return found;
}
