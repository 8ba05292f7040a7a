import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../contract/cluster-files.js';
import { InvalidArgumentError } from '../ops/index.js';

/** -d when given; else the single generated cluster under ./compose/, else an error listing them. */
export async function resolveClusterDir(explicit: string | undefined, cwd = process.cwd()): Promise<string> {
  if (explicit) return explicit;
  const root = join(cwd, 'compose');
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    throw new InvalidArgumentError('no cluster folder given and no ./compose/ here; pass -d <cluster dir> (the folder `rmq-compose gen` wrote)');
  }
  const clusters: string[] = [];
  for (const e of entries.sort()) {
    if (await isFile(join(root, e, MANIFEST_FILE))) clusters.push(join('compose', e));
  }
  if (clusters.length === 1) return join(cwd, clusters[0]!);
  if (clusters.length === 0) throw new InvalidArgumentError('no generated cluster under ./compose/; run `rmq-compose gen` or pass -d <cluster dir>');
  throw new InvalidArgumentError(`several clusters under ./compose/ (${clusters.join(', ')}); say which with -d <cluster dir>`);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
