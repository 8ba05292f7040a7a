import { mkdirSync, openSync, readFileSync, closeSync, writeSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive } from './processes.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cross-process mutex on a file holding the owner's pid. Jest workers (or two jest runs) share one
 * engine, one data root and one image cache; starting an engine or building an image twice at once
 * would corrupt them. A lock whose owner died (killed run) is taken over.
 */
export async function withFileLock<T>(file: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder === undefined || !isAlive(holder)) {
      // stale: the holder is gone; unlink and race for it again
      try {
        unlinkSync(file);
      } catch {
        // someone else took it over first
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${file} (held by pid ${holder})`);
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    if (readHolder(file) === process.pid) unlinkSync(file);
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
