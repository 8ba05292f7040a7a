import { readCertificate } from './read-certificate.js';
import * as x509 from './x509.js';

/**
 * Whether `caPem` signed `certPem`: the certificate names the CA as its issuer and the library
 * checks the signature with the CA's public key. Dates are not looked at (expiryState does that),
 * so a CA kept during an overlap period still answers for the certificates it signed.
 * Unreadable PEM is a TlsError, not `false`.
 */
export async function verifiedBy(certPem: string, caPem: string): Promise<boolean> {
  const cert = readCertificate(certPem, 'the certificate');
  const ca = readCertificate(caPem, 'the CA certificate');
  if (cert.issuer !== ca.subject) return false;
  try {
    return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }, x509.webCrypto);
  } catch {
    // a signature the CA's key type cannot even read (an RSA signature checked with an EC key)
    return false;
  }
}
