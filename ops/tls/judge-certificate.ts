import { isIP } from 'node:net';
import {
  certificateMatches,
  daysLeft,
  dnsNameMatches,
  expiryState,
  inspectCertificate,
  verifiedByBundle,
  type CertificateInfo,
} from '../../contract/tls/index.js';
import type { CertificateFact } from '../status/status-view.js';
import type { CertificateTarget } from './certificate-targets.js';

type Judged = Pick<CertificateFact, 'notAfter' | 'daysLeft' | 'state' | 'trusted' | 'nameMatches' | 'nameProblems'>;

/** How long a certificate has left, from its notAfter. */
export function expiryOf(info: CertificateInfo, now: Date): Pick<CertificateFact, 'notAfter' | 'daysLeft' | 'state'> {
  return { notAfter: info.notAfter.toISOString(), daysLeft: daysLeft(info.notAfter, now), state: expiryState(info.notAfter, now) };
}

/** Each name clients use that the certificate does not carry (an address among its IPs, a name among its DNS names). */
export function missingNames(info: CertificateInfo, names: readonly string[]): string[] {
  return names
    .filter((name) => (isIP(name) ? !info.ipAddresses.includes(name) : !info.dnsNames.some((pattern) => dnsNameMatches(pattern, name))))
    .map(
      (name) =>
        `${name} (a name clients use) is not among the certificate's ${isIP(name) ? `IP addresses (${info.ipAddresses.join(', ') || 'none'})` : `DNS names (${info.dnsNames.join(', ') || 'none'})`}`,
    );
}

/**
 * A served certificate judged with contract/tls: its expiry, whether the cluster CA signed it
 * (left out when the CA could not be read) and whether it names what it serves. Throws a
 * TlsError when the PEM cannot be read.
 */
export async function judgeServed(pem: string, caPem: string | undefined, target: Pick<CertificateTarget, 'identity'>, now: Date): Promise<Judged> {
  const info = inspectCertificate(pem, 'the served certificate');
  const problems = 'node' in target.identity ? certificateMatches(info, target.identity.node) : missingNames(info, target.identity.names);
  return {
    ...expiryOf(info, now),
    ...(caPem !== undefined ? { trusted: await verifiedByBundle(pem, caPem) } : {}),
    nameMatches: problems.length === 0,
    ...(problems.length ? { nameProblems: problems } : {}),
  };
}
