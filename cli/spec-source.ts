import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { packageRoot } from '../lib/package-root.js';

export const LOCAL_SPEC = 'rmq-cluster.yaml';

export interface SpecSource {
  path: string;
  /** Name written into generated headers: the file's base name, so output does not depend on cwd. */
  name: string;
  text: string;
  /** Why this spec was chosen, for the user. */
  origin: string;
  /** The seed spec shipped with rmq-compose: not the user's file, never recorded or edited. */
  bundled: boolean;
}

/** `-f FILE`, else ./rmq-cluster.yaml, else the bundled seed cluster. */
export async function resolveSpecSource(file: string | undefined, cwd = process.cwd()): Promise<SpecSource> {
  let path: string;
  let origin: string;
  let bundled = false;
  if (file) {
    path = file;
    origin = `spec ${file}`;
  } else if (existsSync(join(cwd, LOCAL_SPEC))) {
    path = join(cwd, LOCAL_SPEC);
    origin = `spec ./${LOCAL_SPEC}`;
  } else {
    path = join(packageRoot(), 'specs', 'seed.yaml');
    bundled = true;
    origin = `bundled default spec (the seed cluster; no ./${LOCAL_SPEC} here, \`rmq-compose init\` writes one)`;
  }
  try {
    return { path, name: basename(path), text: await readFile(path, 'utf8'), origin, bundled };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `${path}: no such file; pass an existing spec with -f, or run \`rmq-compose init\`` : `${path}: cannot read it (${code})`,
      { exitCode: 2 },
    );
  }
}
