import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/**
 * Write through a temp file in the same folder and rename over the target, so a crash or a full
 * disk never leaves a half-written config behind.
 */
export async function writeFileAtomic(path: string, contents: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // wx: create it or fail, never follow something already at that name
    await writeFile(tmp, contents, { mode, flag: 'wx' });
    // writeFile's mode is filtered by the umask; secrets must end up exactly 0600.
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
