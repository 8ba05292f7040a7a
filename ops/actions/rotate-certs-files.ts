import { basename, dirname, resolve } from 'node:path';
import { generateCluster } from '../../generator/index.js';
import { UserError } from '../../lib/errors.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';
import { readRecordedSpec } from '../recorded-spec.js';

/**
 * The cluster's files with new certificates, made the way `rmq-compose gen` makes them: the same
 * spec, the same CA (tls/ca.key), every node's certificate (and nginx's, when it terminates TLS)
 * issued again; the user's own files are read again as they are now. Returns what changed.
 */
export async function writeRotatedFiles(cluster: ClusterHandle, nodes: readonly string[], ca?: 'new' | 'retire-previous'): Promise<{ changed: string[]; issued: string[] }> {
  const { relative, path, text } = await readRecordedSpec(cluster, 'rotate-certs');
  const spec = { text, name: basename(path), dir: dirname(path) };
  const generated = cluster.manifest.tls?.certificates === 'generated';
  // a new CA comes first alone: trusted everywhere before anything it signs is served
  const renewTls = generated ? { nodes: ca === 'new' ? [] : nodes, loadBalancer: ca !== 'new' && cluster.manifest.tls?.loadBalancer !== undefined, ...(ca ? { ca } : {}) } : undefined;
  const options = { outDir: dirname(cluster.dir), env: process.env, specFileFrom: () => relative, ...(renewTls ? { renewTls } : {}) };
  try {
    // planned first with nothing written: a spec that no longer generates changes nothing
    await generateCluster(spec, { ...options, check: true });
  } catch (error) {
    const why = error instanceof UserError || error instanceof Error ? error.message : String(error);
    throw new RefusedError(`${path} does not generate (nothing was changed):\n${why}`);
  }
  const { plan, result } = await generateCluster(spec, options);
  if (resolve(result.clusterDir) !== resolve(cluster.dir)) throw new RefusedError(`the spec generates ${result.clusterDir}, not ${cluster.dir}; nothing else was changed`);
  return { changed: result.changes.filter((c) => c.kind !== 'unchanged').map((c) => c.file.path), issued: plan.tlsIssued ?? [] };
}
