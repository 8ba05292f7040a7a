import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ClusterHandle } from './cluster-handle.js';
import { RefusedError } from './errors.js';

/**
 * The spec a cluster folder was generated from, as its manifest records it (`gen -f` writes the
 * path): what `upgrade` edits and `migrate` derives green's spec from. The bundled seed spec is
 * not recorded, because it is not the user's to edit.
 */
export interface RecordedSpec {
  /** As the manifest says it, relative to the cluster folder. */
  relative: string;
  path: string;
  text: string;
}

export async function readRecordedSpec(cluster: ClusterHandle, action: 'upgrade' | 'migrate' | 'rotate-certs'): Promise<RecordedSpec> {
  const { spec, name } = cluster.manifest;
  if (!spec) {
    throw new RefusedError(
      `${name} was generated from the bundled seed spec, which ${action} does not edit; run \`rmq-compose init\` (or copy specs/seed.yaml to rmq-cluster.yaml) and \`rmq-compose gen\` from it, then ${action}`,
    );
  }
  const path = resolve(cluster.dir, spec);
  try {
    return { relative: spec, path, text: await readFile(path, 'utf8') };
  } catch (error) {
    throw new RefusedError(
      `cannot read ${path}, the spec ${name} was generated from (${(error as NodeJS.ErrnoException).code}); run \`rmq-compose gen -f <spec>\` again so the cluster folder records where it is`,
    );
  }
}
