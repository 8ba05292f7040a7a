import { execa, type ResultPromise } from 'execa';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../../../ops/runner/command.js';
import { ensureAptPackages } from '../apt.js';

/**
 * A packet capture on the LAN bridge: every frame between the machines (and from the clients in
 * the root namespace), full length, written by tcpdump as it comes (-U). What the test then looks
 * for in it is what an eavesdropper on the LAN would see.
 */
export interface LanCapture {
  /** Stops tcpdump (by its pid) and returns the capture file's bytes. */
  stop(): Promise<Buffer>;
  /** Removes the file; idempotent, for afterAll. */
  remove(): Promise<void>;
}

export async function startLanCapture(runner: CommandRunner, bridge: string): Promise<LanCapture> {
  await ensureAptPackages(runner, ['tcpdump'], ['tcpdump'], 'the packet capture on the LAN bridge');
  const dir = mkdtempSync(join(tmpdir(), `rmqt-capture-${process.pid}-`));
  const file = join(dir, 'lan.pcap');
  // -Z root: tcpdump drops to its own user after opening the device, and then could not write here
  const child: ResultPromise = execa('tcpdump', ['-i', bridge, '-n', '-s', '0', '-U', '-Z', 'root', '-w', file], { reject: false, timeout: 1_800_000, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start capturing on ${bridge} within 15 s: ${stderr}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // tcpdump says so once the device is open and the filter set
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.then((r) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${r.exitCode}) before capturing: ${stderr}`));
    });
  });
  let bytes: Buffer | undefined;
  return {
    async stop() {
      if (bytes) return bytes;
      child.kill('SIGINT');
      await Promise.race([child, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await child;
      bytes = await readFile(file);
      return bytes;
    },
    async remove() {
      if (child.exitCode === null && !child.killed) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * How often each needle occurs in the captured bytes. The whole file is searched (headers and
 * all): a secret found anywhere in it crossed the LAN in clear. A needle split across two TCP
 * segments would be missed, so the needles are short, single-frame things (a password, a
 * message body, a node name) next to which the test also searches a control it knows is in clear.
 */
export function occurrences(capture: Buffer, needles: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const needle of needles) {
    const bytes = Buffer.from(needle);
    let n = 0;
    for (let at = capture.indexOf(bytes); at !== -1; at = capture.indexOf(bytes, at + 1)) n++;
    counts[needle] = n;
  }
  return counts;
}
