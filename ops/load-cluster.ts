import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MANIFEST_FILE } from '../contract/cluster-files.js';
import { parseManifest } from '../contract/manifest.js';
import type { ClusterHandle } from './cluster-handle.js';
import { ClusterNotFoundError } from './errors.js';

/** A generated cluster folder → its handle; a clear error when it is not one. */
export async function loadCluster(dir: string): Promise<ClusterHandle> {
  const abs = resolve(dir);
  const file = join(abs, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ClusterNotFoundError(
        `${dir} is not a generated cluster (no ${MANIFEST_FILE}); run \`rmq-compose gen\` first, or point -d at the folder it wrote`,
      );
    }
    throw new ClusterNotFoundError(`cannot read ${file} (${code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ClusterNotFoundError(`${file} is not valid JSON; regenerate it with \`rmq-compose gen\``);
  }
  const parsed = parseManifest(raw);
  if (!parsed.ok) {
    throw new ClusterNotFoundError(
      `${file} is not a manifest this version understands; regenerate it with \`rmq-compose gen\`:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return { dir: abs, manifest: parsed.manifest };
}
