import { UserError } from '../../lib/errors.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';
import { readRecordedSpec } from '../recorded-spec.js';
import { generateAgain } from './generate-again.js';

/**
 * The cluster's files with new certificates, made the way `rmq-compose gen` makes them: the same
 * spec, the same CA (tls/ca.key), every node's certificate (and nginx's, when it terminates TLS)
 * issued again; the user's own files are read again as they are now. Returns what changed.
 */
export async function writeRotatedFiles(
  cluster: ClusterHandle,
  nodes: readonly string[],
  now: Date,
  ca?: 'new' | 'retire-previous',
): Promise<{ changed: string[]; issued: string[] }> {
  const { relative, path, text } = await readRecordedSpec(cluster, 'rotate-certs');
  const generated = cluster.manifest.tls?.certificates === 'generated';
  // a new CA comes first alone: trusted everywhere before anything it signs is served
  const renewTls = generated
    ? { nodes: ca === 'new' ? [] : nodes, loadBalancer: ca !== 'new' && cluster.manifest.tls?.loadBalancer !== undefined, ...(ca ? { ca } : {}) }
    : undefined;
  const extra = renewTls ? { renewTls } : {};
  try {
    // planned first with nothing written: a spec that no longer generates changes nothing
    await generateAgain(cluster, path, relative, text, now, { ...extra, check: true });
  } catch (error) {
    const why = error instanceof UserError || error instanceof Error ? error.message : String(error);
    throw new RefusedError(`${path} does not generate (nothing was changed):\n${why}`);
  }
  const { plan, changed } = await generateAgain(cluster, path, relative, text, now, extra);
  return { changed, issued: plan.tlsIssued ?? [] };
}
