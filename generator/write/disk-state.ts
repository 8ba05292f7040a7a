import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderedFile } from '../render/rendered-file.js';

export type FileChange = { file: RenderedFile; kind: 'create' | 'update' | 'mode' | 'unchanged'; current: string | undefined };

/** Compares what the spec gives with what is on disk; reads only. */
export async function compareWithDisk(dir: string, files: RenderedFile[]): Promise<FileChange[]> {
  return Promise.all(
    files.map(async (file): Promise<FileChange> => {
      const path = join(dir, file.path);
      let current: string | undefined;
      try {
        current = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, kind: 'create', current: undefined };
        throw error;
      }
      if (current !== file.contents) return { file, kind: 'update', current };
      const mode = (await stat(path)).mode & 0o777;
      return { file, kind: mode === file.mode ? 'unchanged' : 'mode', current };
    }),
  );
}
