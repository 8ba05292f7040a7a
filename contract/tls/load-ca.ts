import type { CertificateAndKey } from './create-ca.js';
import { TlsError } from './errors.js';
import { importSigningKey, type SigningKey } from './keys.js';
import { isCaCertificate, readCertificate } from './read-certificate.js';
import * as x509 from './x509.js';

export interface LoadedCa {
  cert: x509.X509Certificate;
  signer: SigningKey;
}

/**
 * A CA ready to sign: its certificate must be a CA certificate allowed to sign certificates, and
 * its key must be the certificate's own (same public key); the CA generated here or the user's.
 */
export async function loadCa(ca: CertificateAndKey): Promise<LoadedCa> {
  if (ca === null || typeof ca !== 'object') throw new TlsError('the CA must be given as { certPem, keyPem }');
  const cert = readCertificate(ca.certPem, 'the CA certificate');
  if (!isCaCertificate(cert)) throw new TlsError(`the CA certificate (${cert.subject}) is not a CA certificate: its basicConstraints do not say CA:TRUE`);
  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && (keyUsage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw new TlsError(`the CA certificate (${cert.subject}) may not sign certificates: its keyUsage lacks keyCertSign`);
  }
  if (typeof ca.keyPem !== 'string') throw new TlsError('the CA key is missing (keyPem)');
  const signer = await importSigningKey(ca.keyPem, 'the CA key');
  if (!Buffer.from(cert.publicKey.rawData).equals(Buffer.from(signer.spkiDer))) {
    throw new TlsError(`the CA key does not belong to the CA certificate (${cert.subject}): their public keys differ`);
  }
  return { cert, signer };
}
