import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../lib/errors.js';
import type { ClusterHandle } from '../cluster-handle.js';

/** The cluster CA file named in the manifest cannot be read (missing, unreadable). */
export class ClusterCaError extends UserError {}

/**
 * The cluster CA (PEM) from the folder: what every served certificate is verified against, and
 * what HTTPS to the management API trusts instead of the system's roots. Undefined without `tls`.
 */
export async function readClusterCa(cluster: ClusterHandle): Promise<string | undefined> {
  const tls = cluster.manifest.tls;
  if (!tls) return undefined;
  try {
    return await readFile(join(cluster.dir, tls.caFile), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ClusterCaError(`cannot read the cluster CA ${tls.caFile} (${code}); run \`rmq-compose gen\` again or restore the file`);
  }
}
