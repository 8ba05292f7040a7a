import { SpecError } from '../../lib/errors.js';
import { certificatesOf, createCa, inspectCertificate, issueCertificate, keyMatchesCertificate, TlsError, verifiedByBundle } from '../../contract/tls/index.js';
import { CA_KEY_FILE } from '../../contract/tls/layout.js';
import type { ClusterModel } from '../spec/model.js';
import { lbCertificateNames, missingNames, nodeCertificateNames, type CertificateNames } from './certificate-identities.js';
import { readTlsFolder } from './read-tls-folder.js';
import { readUserTlsFiles } from './read-user-tls-files.js';
import type { PemPair, TlsMaterial, TlsRenewal } from './tls-material.js';

/** The cluster CA lives ten years; what it signs lives `tls.validDays`. */
const CA_VALID_DAYS = 3650;
const DAY_MS = 86_400_000;

export interface PrepareTlsOptions {
  clusterDir: string;
  /** Where the spec's relative paths start (its folder). */
  specDir: string;
  specName: string;
  now: Date;
  /** Certificates to issue again even though they still fit (rotate-certs). */
  renew?: TlsRenewal;
  /**
   * gen --check: a key missing beside its certificate is what a checkout looks like (keys are
   * git-ignored); the certificate is compared and the key stands in, left out like .env's secrets.
   */
  check?: boolean;
}

/** Stands in for a key that is not here during --check; never written (apply.ts leaves it out). */
export const ABSENT_KEY = 'rmq-compose: key not here\n';

/**
 * The cluster's certificates for this gen run. Generated ones are read back from tls/ and kept
 * while they fit: signed by the CA, with their key, carrying every name the spec now needs, not
 * expired. Anything else is issued now, once, so the files and what the nodes serve agree across
 * runs (like .env's secrets). The user's own files are read and checked the same way, never made.
 */
export async function prepareTls(model: ClusterModel, o: PrepareTlsOptions): Promise<TlsMaterial | undefined> {
  const t = model.tls;
  if (!t) return undefined;
  if (t.certificates.kind === 'files') return readUserTlsFiles(model, t.certificates, o);

  const folder = await readTlsFolder(
    o.clusterDir,
    model.nodes.map((n) => n.name),
  );
  const issued: string[] = [];
  let ca: { certPem: string; keyPem: string | undefined };
  /** What nodes and clients trust: the signing CA first, then a previous one during an overlap. */
  let trust: string;
  const newCa = () =>
    createCa({
      commonName: `rmq-compose CA ${model.name} ${o.now.toISOString().slice(0, 10)}`.slice(0, 64),
      validDays: CA_VALID_DAYS,
      now: o.now,
      keyType: t.keyType,
    });
  if (folder.caPem === undefined) {
    ca = await newCa();
    trust = ca.certPem;
    issued.push('CA');
  } else if (o.renew?.ca === 'new') {
    ca = await newCa();
    // the previous CA stays trusted (only the one that signed last: an older one is dropped)
    trust = ca.certPem + certificatesOf(folder.caPem)[0]!;
    issued.push('CA');
  } else {
    const bundle = certificatesOf(folder.caPem);
    ca = { certPem: bundle[0] ?? folder.caPem, keyPem: folder.caKeyPem ?? (o.check ? ABSENT_KEY : undefined) };
    trust = o.renew?.ca === 'retire-previous' ? ca.certPem : folder.caPem;
  }
  const signer = () => {
    if (ca.keyPem === undefined || ca.keyPem === ABSENT_KEY) {
      throw new SpecError(
        [
          `${t.path}: a certificate must be issued, and ${CA_KEY_FILE} (the CA's key) is missing from ${o.clusterDir}; put it back, or move tls/ aside to start a new CA (every client must then trust the new tls/ca.pem)`,
        ],
        o.specName,
      );
    }
    return { certPem: ca.certPem, keyPem: ca.keyPem };
  };
  const issue = (commonName: string, names: CertificateNames) =>
    issueCertificate(signer(), { commonName, ...names, validDays: t.validDays, now: o.now, keyType: t.keyType, usage: 'server-and-client' });

  const nodes: Record<string, PemPair> = {};
  for (const node of model.nodes) {
    const names = nodeCertificateNames(model, node);
    const existing = withStandIn(folder.nodes[node.name]!, o.check);
    const renew = o.renew?.nodes.includes(node.name) ?? false;
    if (!renew && (await stillFits(existing, trust, names, o.now))) nodes[node.name] = existing as PemPair;
    else {
      nodes[node.name] = await issue(node.name, names);
      issued.push(node.name);
    }
  }
  let loadBalancer: PemPair | undefined;
  if (t.clients === 'terminate' && model.loadBalancer) {
    const names = lbCertificateNames(model);
    if (!o.renew?.loadBalancer && (await stillFits(withStandIn(folder.loadBalancer, o.check), trust, names, o.now)))
      loadBalancer = folder.loadBalancer as PemPair;
    else {
      loadBalancer = await issue(`${model.name} load balancer`.slice(0, 64), names);
      issued.push('load balancer');
    }
  }
  return { caPem: trust, caKeyPem: ca.keyPem, nodes, loadBalancer, issued };
}

function withStandIn(pair: { certPem: string | undefined; keyPem: string | undefined }, check: boolean | undefined) {
  return check && pair.certPem !== undefined && pair.keyPem === undefined ? { certPem: pair.certPem, keyPem: ABSENT_KEY } : pair;
}

/** A kept certificate must still be right for what the spec says now; otherwise it is issued again. */
async function stillFits(
  pair: { certPem: string | undefined; keyPem: string | undefined },
  caPem: string,
  names: CertificateNames,
  now: Date,
): Promise<boolean> {
  if (pair.certPem === undefined || pair.keyPem === undefined) return false;
  try {
    const info = inspectCertificate(pair.certPem);
    if (info.notAfter.getTime() - now.getTime() < DAY_MS) return false;
    if (missingNames(info, names).length > 0) return false;
    if (!(await verifiedByBundle(pair.certPem, caPem))) return false;
    if (pair.keyPem === ABSENT_KEY) return true;
    return keyMatchesCertificate(pair.certPem, pair.keyPem, 'key');
  } catch (error) {
    // an unreadable file in tls/ is replaced like a missing one: gen made it, gen makes it again
    if (error instanceof TlsError) return false;
    throw error;
  }
}
