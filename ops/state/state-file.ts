import { lstat, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { STATE_DIR } from '../../contract/cluster-files.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { RefusedError } from '../errors.js';

/**
 * A long action's progress record in the cluster's private state folder (beside the lock):
 * written atomically (0600) after each step that changes something, read back to resume, removed
 * when the action is over. A file that is not a regular file, or does not parse, is refused with
 * what it is for rather than guessed at.
 */
export interface StateFile<T> {
  read(clusterDir: string): Promise<T | undefined>;
  write(clusterDir: string, state: T): Promise<void>;
  clear(clusterDir: string): Promise<void>;
}

export function stateFile<S extends z.ZodType>(name: string, schema: S, what: string): StateFile<z.infer<S>> {
  const pathOf = (clusterDir: string) => join(clusterDir, STATE_DIR, name);
  return {
    async read(clusterDir) {
      const path = pathOf(clusterDir);
      const stats = await lstat(path).catch(() => undefined);
      if (!stats) return undefined;
      if (!stats.isFile())
        throw new RefusedError(`${path} is not a regular file; it should record ${what} (move it away, check \`rmq-compose status\`, and run again)`);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(path, 'utf8'));
      } catch {
        raw = undefined;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success)
        throw new RefusedError(`${path} does not say where ${what} stopped (damaged?); check \`rmq-compose status\` by hand before removing it`);
      return parsed.data;
    },
    write: (clusterDir, state) => writeFileAtomic(pathOf(clusterDir), `${JSON.stringify(state, null, 2)}\n`, 0o600),
    clear: (clusterDir) => rm(pathOf(clusterDir), { force: true }),
  };
}
