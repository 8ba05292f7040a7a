import { lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKUPS_DIR } from '../../contract/cluster-files.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';

/** What `backup` names its files; `restore` takes only such a name (or `latest`). */
export const BACKUP_NAME = /^definitions-\d{8}T\d{6}Z\.json$/;

/**
 * `<cluster>/backups/`, made 0700 when missing. Refused when it is anything but a real folder: a
 * link there would send password hashes (or read a restore) out of the cluster folder.
 */
export async function backupsFolder(clusterDir: string, create = true): Promise<string> {
  const folder = join(clusterDir, BACKUPS_DIR);
  const stats = await lstat(folder).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
  if (stats === undefined) {
    if (!create) throw new RefusedError(`${folder} does not exist: there is no backup yet (make one with rmq-compose backup)`);
    await mkdir(folder, { mode: 0o700 });
  } else if (stats.isSymbolicLink() || !stats.isDirectory()) {
    throw new RefusedError(
      `${folder} is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; backups are written and read only in a real folder inside the cluster folder (move it away and run again)`,
    );
  }
  return folder;
}

/** The backup file `name` (or the newest one for `latest`) as text; only regular files in the folder. */
export async function readBackup(clusterDir: string, name: string): Promise<{ file: string; text: string }> {
  const folder = await backupsFolder(clusterDir, false);
  const names = (await readdir(folder)).filter((n) => BACKUP_NAME.test(n)).sort();
  const chosen = name === 'latest' ? names.at(-1) : name;
  if (!chosen) throw new RefusedError(`no backup in ${folder} yet (make one with rmq-compose backup)`);
  if (!BACKUP_NAME.test(chosen))
    throw new InvalidArgumentError(`"${name}" is not a backup name; give one of ${folder}'s definitions-<UTC time>.json files, or latest`);
  const path = join(folder, chosen);
  const stats = await lstat(path).catch(() => undefined);
  if (!stats?.isFile())
    throw new RefusedError(`${BACKUPS_DIR}/${chosen} is ${stats ? 'not a regular file' : 'not there'}; the backups are: ${names.join(', ') || 'none'}`);
  return { file: `${BACKUPS_DIR}/${chosen}`, text: await readFile(path, 'utf8') };
}
