import { createPrivateKey, X509Certificate } from 'node:crypto';
import { TlsError } from './errors.js';

/**
 * Whether `keyPem` is the private key of `certPem` (node:crypto compares the public halves). A
 * key that cannot be read is a TlsError that names `label`, never the key's bytes.
 */
export function keyMatchesCertificate(certPem: string, keyPem: string, label: string): boolean {
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new TlsError(`${label}: not a readable private key (PEM, unencrypted: PKCS#8, PKCS#1 or SEC1)`);
  }
  try {
    return new X509Certificate(certPem).checkPrivateKey(key);
  } catch {
    throw new TlsError(`${label}: its certificate is not a readable PEM certificate`);
  }
}
