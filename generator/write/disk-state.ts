import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../contract/cluster-files.js';
import type { RenderedFile } from '../render/rendered-file.js';

export type FileChange = { file: RenderedFile; kind: 'create' | 'update' | 'mode' | 'unchanged' | 'remove'; current: string | undefined };

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

/**
 * Files an earlier gen wrote (listed in its manifest) that the spec no longer gives, e.g. the
 * keepalived config of a removed LB instance. Only listed files are ever candidates; the manifest
 * is hand-editable, so the caller checks these paths for links before reading or removing them.
 */
export async function staleCandidates(dir: string, files: RenderedFile[]): Promise<string[]> {
  let previous: unknown;
  try {
    previous = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    return [];
  }
  const listed = (previous as { generatedFiles?: unknown }).generatedFiles;
  if (!Array.isArray(listed)) return [];
  const current = new Set(files.map((f) => f.path));
  return listed.filter((p): p is string => typeof p === 'string' && p !== '' && !current.has(p) && !p.split('/').includes('..') && !p.startsWith('/'));
}

/** The candidates that still exist, as removals. */
export async function staleChanges(dir: string, stale: readonly string[]): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const path of stale) {
    const contents = await readFile(join(dir, path), 'utf8').catch(() => undefined);
    if (contents !== undefined) changes.push({ file: { path, contents: '', mode: 0o644 }, kind: 'remove', current: contents });
  }
  return changes;
}
