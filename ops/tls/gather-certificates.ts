import { inspectCertificate, TlsError } from '../../contract/tls/index.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { TlsPeerError, type TlsPeerCertificate } from '../net/tls-peer.js';
import type { CertificateFact } from '../status/status-view.js';
import { certificateTargets, type CertificateTarget } from './certificate-targets.js';
import { ClusterCaError, readClusterCa } from './cluster-ca.js';
import { expiryOf, judgeServed } from './judge-certificate.js';

/** A handshake is one round trip: a port that has not answered in 3 s is not going to. */
const HANDSHAKE_MS = 3_000;

const said = (error: unknown) =>
  error instanceof TlsError || error instanceof TlsPeerError || error instanceof ClusterCaError ? error.message : 'could not be read';

/**
 * The cluster CA from the folder and the certificate every TLS port serves, all at once, each
 * judged (expiry, signed by the CA, names). One fact per certificate, never an error: what could
 * not be read says why. Empty without `tls`.
 */
export async function gatherCertificates(
  cluster: ClusterHandle,
  tools: { tlsPeer: TlsPeerCertificate; now: () => number },
  signal?: AbortSignal,
): Promise<CertificateFact[]> {
  const tls = cluster.manifest.tls;
  if (!tls) return [];
  const now = new Date(tools.now());
  const caSource = tls.caFile;
  let caPem: string | undefined;
  let ca: CertificateFact;
  try {
    caPem = await readClusterCa(cluster);
    ca = { subject: 'ca', kind: 'ca', source: caSource, ...expiryOf(inspectCertificate(caPem ?? '', `the cluster CA ${caSource}`), now) };
  } catch (error) {
    caPem = undefined;
    ca = { subject: 'ca', kind: 'ca', source: caSource, error: said(error) };
  }
  const served = await Promise.all(certificateTargets(cluster.manifest).map((t) => readServed(t, caPem, tools.tlsPeer, now, signal)));
  return [ca, ...served];
}

async function readServed(
  target: CertificateTarget,
  caPem: string | undefined,
  tlsPeer: TlsPeerCertificate,
  now: Date,
  signal: AbortSignal | undefined,
): Promise<CertificateFact> {
  const fact: CertificateFact = { subject: target.subject, kind: target.kind, source: `${target.address}:${target.port} (${target.protocol})` };
  let pem: string;
  try {
    pem = await tlsPeer(target.address, target.port, {
      timeoutMs: HANDSHAKE_MS,
      ...(target.servername ? { servername: target.servername } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    return { ...fact, error: said(error), ...(error instanceof TlsPeerError && error.kind === 'unreachable' ? { unreachable: true } : {}) };
  }
  try {
    return { ...fact, ...(await judgeServed(pem, caPem, target, now)) };
  } catch (error) {
    return { ...fact, error: said(error) };
  }
}
