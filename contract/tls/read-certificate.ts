import { TlsError } from './errors.js';
import * as x509 from './x509.js';

/** One PEM certificate parsed by the library, or a TlsError that says which one could not be read. */
export function readCertificate(pem: string, label: string): x509.X509Certificate {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new TlsError(`${label} is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`);
  }
  try {
    return new x509.X509Certificate(pem);
  } catch {
    throw new TlsError(`${label} could not be read: the PEM block is not a valid X.509 certificate`);
  }
}

/** The CA:TRUE flag of basicConstraints (false when the extension is absent). */
export function isCaCertificate(cert: x509.X509Certificate): boolean {
  return cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}
