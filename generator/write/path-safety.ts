import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UnsafeOutputError } from '../../lib/errors.js';
import { escapeControlCharacters } from '../render/escape-control-characters.js';

type Kind = 'missing' | 'link' | 'folder' | 'file' | 'other';

/**
 * Refuses, before anything is read or written, a symbolic link at the cluster folder or at any
 * path component below it on the way to `paths` (relative, "/"-separated). mkdir, readFile and
 * rm all follow links, so a link at `<cluster>/nginx` or one a manifest entry passes through
 * would make gen write or delete outside the folder. Also refused: a file where a folder must
 * be and a folder (or device) where a file must be, which would fail halfway through the writes.
 * Throws one UnsafeOutputError naming every such path; resolves when there is none.
 */
export async function refuseUnsafePaths(clusterDir: string, paths: readonly string[]): Promise<void> {
  const kinds = new Map<string, Promise<Kind>>();
  const kindOf = (path: string) => {
    let kind = kinds.get(path);
    if (!kind) kinds.set(path, (kind = lstatKind(path)));
    return kind;
  };
  const problems = new Set<string>();

  const root = await kindOf(clusterDir);
  if (root === 'link')
    problems.add(
      `${clusterDir} (the cluster folder) is a symbolic link${await target(clusterDir)}; pass -o the folder it points into, or replace the link with a real folder`,
    );
  else if (root !== 'missing' && root !== 'folder') problems.add(`${clusterDir} (the cluster folder) is not a folder; move it away`);
  else if (root === 'folder') {
    for (const path of paths) {
      const parts = path.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const full = join(clusterDir, ...parts.slice(0, i));
        const kind = await kindOf(full);
        if (kind === 'missing') break;
        const last = i === parts.length;
        if (kind === 'link')
          problems.add(`${full} is a symbolic link${await target(full)}; remove it (rm ${full}) and gen writes a real ${last ? 'file' : 'folder'} there`);
        else if (!last && kind !== 'folder') problems.add(`${full} is not a folder, but gen writes ${join(clusterDir, path)}; move it away`);
        else if (last && kind !== 'file') problems.add(`${full} is not a regular file; move it away`);
        else continue;
        break;
      }
    }
  }
  if (problems.size > 0) throw new UnsafeOutputError(clusterDir, [...problems]);
}

async function lstatKind(path: string): Promise<Kind> {
  try {
    const stats = await lstat(path);
    return stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

/** ` (to /tmp/elsewhere)`, for the message; the target is shown with its control characters escaped, it is not ours. */
async function target(link: string): Promise<string> {
  const to = await readlink(link).catch(() => undefined);
  return to === undefined ? '' : ` (to ${escapeControlCharacters(to)})`;
}
