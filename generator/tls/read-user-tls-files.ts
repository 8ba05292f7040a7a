import { open } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { SpecError } from '../../lib/errors.js';
import { inspectCertificate, keyMatchesCertificate, TlsError, verifiedByBundle } from '../../contract/tls/index.js';
import { escapeControlCharacters } from '../render/escape-control-characters.js';
import type { ClusterModel, TlsModel } from '../spec/model.js';
import { lbCertificateNames, missingNames, nodeCertificateNames } from './certificate-identities.js';
import type { PemPair, TlsMaterial } from './tls-material.js';

/** A PEM certificate chain or key is a few kB; anything near this is the wrong file. */
const MAX_PEM_BYTES = 256 * 1024;

type Files = Extract<TlsModel['certificates'], { kind: 'files' }>;

/**
 * The user's own CA, node and load balancer files: read at the edge (relative to the spec's
 * folder), and checked before anything is written: each certificate signed by the CA, with its
 * own key, naming what peers and clients will check, not expired. Every problem is listed with
 * the spec path that names the file; a key's bytes never appear in a message.
 */
export async function readUserTlsFiles(model: ClusterModel, files: Files, o: { specDir: string; specName: string; now: Date }): Promise<TlsMaterial> {
  const problems: string[] = [];
  const base = `${model.tls!.path}.certificates`;
  const read = async (file: string, path: string) => {
    try {
      return await readPem(file, o.specDir);
    } catch (error) {
      problems.push(`${path}: ${escapeControlCharacters(file)}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const caPem = await read(files.ca, `${base}.ca`);
  const pairAt = async (p: { cert: string; key: string }, path: string, names: Parameters<typeof missingNames>[1]): Promise<PemPair | undefined> => {
    const certPem = await read(p.cert, `${path}.cert`);
    const keyPem = await read(p.key, `${path}.key`);
    if (certPem === undefined || keyPem === undefined || caPem === undefined) return undefined;
    try {
      const info = inspectCertificate(certPem, escapeControlCharacters(p.cert));
      if (info.notAfter.getTime() <= o.now.getTime())
        problems.push(`${path}.cert: ${escapeControlCharacters(p.cert)} expired on ${info.notAfter.toISOString().slice(0, 10)}`);
      const missing = missingNames(info, names);
      if (missing.length > 0)
        problems.push(
          `${path}.cert: ${escapeControlCharacters(p.cert)} lacks ${missing.join(', ')} in its subjectAltName; peers and clients check those names`,
        );
      if (!(await verifiedByBundle(certPem, caPem)))
        problems.push(`${path}.cert: ${escapeControlCharacters(p.cert)} is not signed by ${escapeControlCharacters(files.ca)} (tls.certificates.ca)`);
      if (!keyMatchesCertificate(certPem, keyPem, `${path}.key`))
        problems.push(`${path}.key: ${escapeControlCharacters(p.key)} is not the key of ${escapeControlCharacters(p.cert)}`);
    } catch (error) {
      if (!(error instanceof TlsError)) throw error;
      problems.push(`${path}: ${error.message}`);
    }
    return { certPem, keyPem };
  };
  const nodes: Record<string, PemPair> = {};
  for (const node of model.nodes) {
    const pair = files.nodes[node.name];
    if (!pair) continue;
    const read = await pairAt(pair, `${base}.nodes.${node.name}`, nodeCertificateNames(model, node));
    if (read) nodes[node.name] = read;
  }
  let loadBalancer: PemPair | undefined;
  if (model.tls!.clients === 'terminate' && model.loadBalancer && files.loadBalancer) {
    loadBalancer = await pairAt(files.loadBalancer, `${base}.loadBalancer`, lbCertificateNames(model));
  }
  if (problems.length > 0 || caPem === undefined) throw new SpecError(problems, o.specName);
  return { caPem, caKeyPem: undefined, nodes, loadBalancer, issued: [] };
}

/** One PEM file, read through the handle that was checked (a regular file, not too large). */
async function readPem(file: string, specDir: string): Promise<string> {
  const path = isAbsolute(file) ? file : resolve(specDir, file);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? "no such file (paths are relative to the spec file's folder)"
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be opened (${code ?? 'error'})`,
      { cause: error },
    );
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error('is not a regular file');
    if (stats.size > MAX_PEM_BYTES) throw new Error(`is ${Math.round(stats.size / 1024)} kB, too large for a PEM certificate or key`);
    const text = await handle.readFile('utf8');
    if (!text.includes('-----BEGIN ')) throw new Error('is not PEM (no -----BEGIN line)');
    return text;
  } finally {
    await handle.close();
  }
}
