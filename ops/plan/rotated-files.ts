import { UserError } from '../../lib/errors.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';
import { readRecordedSpec } from '../recorded-spec.js';
import { planRegeneration, type Regeneration } from './regenerate.js';

/**
 * The cluster's files with new certificates, made the way `rmq-compose gen` makes them: the same
 * spec, the same CA (tls/ca.key), every node's certificate (and nginx's, when it terminates TLS)
 * issued again; the user's own files are read again as they are now. Made once, in memory:
 * what the plan shows is what `write()` puts on disk, the same certificates and keys.
 */
export async function planRotatedFiles(cluster: ClusterHandle, nodes: readonly string[], now: Date, ca?: 'new' | 'retire-previous'): Promise<Regeneration> {
  const { relative, path, text } = await readRecordedSpec(cluster, 'rotate-certs');
  const generated = cluster.manifest.tls?.certificates === 'generated';
  // a new CA comes first alone: trusted everywhere before anything it signs is served
  const renewTls = generated
    ? { nodes: ca === 'new' ? [] : nodes, loadBalancer: ca !== 'new' && cluster.manifest.tls?.loadBalancer !== undefined, ...(ca ? { ca } : {}) }
    : undefined;
  try {
    return await planRegeneration(cluster, path, relative, text, now, renewTls ? { renewTls } : {});
  } catch (error) {
    if (error instanceof RefusedError) throw error;
    const why = error instanceof UserError || error instanceof Error ? error.message : String(error);
    throw new RefusedError(`${path} does not generate (nothing was changed):\n${why}`);
  }
}
