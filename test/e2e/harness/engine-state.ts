import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { paths } from './paths.js';
import { isAlive } from './processes.js';

/**
 * What the private engine is and who uses it, on disk: every jest worker (and every test file,
 * which gets a fresh module registry) sees the same engine, and the last user stops it.
 */
export interface EngineState {
  pid: number;
  tmpDir: string;
  dockerHost: string;
  storageDriver: string;
  /** The dockerd's hard limit on open files (containers cannot exceed it). */
  nofileLimit: number;
  /** One entry per holder (a pid may appear more than once). */
  owners: number[];
}

export function readEngineState(): EngineState | undefined {
  try {
    const state = JSON.parse(readFileSync(paths.engineState, 'utf8')) as EngineState;
    return typeof state.pid === 'number' && Array.isArray(state.owners) ? state : undefined;
  } catch {
    return undefined;
  }
}

export function writeEngineState(state: EngineState): void {
  // rename is atomic: a reader never sees half a file
  const tmp = `${paths.engineState}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, paths.engineState);
}

export function clearEngineState(): void {
  rmSync(paths.engineState, { force: true });
}

/** Holders still running; a killed jest run leaves its pid behind. */
export function liveOwners(state: EngineState): number[] {
  return state.owners.filter(isAlive);
}
