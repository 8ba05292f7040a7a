import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKUP_NAME } from './backups-folder.js';

/** How many backups `backup` keeps when `--keep` is not given. */
export const DEFAULT_KEEP = 10;

/**
 * After a backup was written: remove all but the `keep` newest backups in `folder`, counting the
 * one just written (`written`), which is always kept, even behind a clock that went back. Every
 * backup holds password hashes, so they must not pile up. Only what `backup` itself writes is
 * touched: regular files named like BACKUP_NAME (whose UTC time sorts as text); a link, folder
 * or other file in there is left alone, and a link is never followed (readdir's types are the
 * entries' own, and unlink removes a name, never what a link points to). Returns the removed names.
 */
export async function pruneBackups(folder: string, written: string, keep: number): Promise<string[]> {
  const backups = (await readdir(folder, { withFileTypes: true }))
    .filter((e) => e.isFile() && BACKUP_NAME.test(e.name) && e.name !== written)
    .map((e) => e.name)
    .sort();
  const doomed = backups.slice(0, Math.max(0, backups.length - (keep - 1)));
  // already gone (removed by hand meanwhile) is what was wanted
  for (const name of doomed) await unlink(join(folder, name)).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
  return doomed;
}
