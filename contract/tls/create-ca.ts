import { randomSerialHex, validityWindow } from './certificate-fields.js';
import { caParamsSchema, parseParams, type CaParams } from './inputs.js';
import { generateKey, importSigningKey } from './keys.js';
import * as x509 from './x509.js';

/** A certificate and its private key, both PEM; `keyPem` is secret (write it 0600, never print it). */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** PEM text as files hold it: the library's lines, ending with a newline. */
export const pemText = (cert: x509.X509Certificate) => `${cert.toString('pem').trim()}\n`;

/**
 * A new cluster CA: a self-signed certificate that may sign node and client certificates and
 * nothing else (basicConstraints CA:TRUE, path length 0, critical; keyUsage keyCertSign and
 * cRLSign, critical; a subjectKeyIdentifier the issued certificates point back to).
 */
export async function createCa(params: CaParams): Promise<CertificateAndKey> {
  const p = parseParams(caParamsSchema, params, 'cannot create the CA');
  const { keyPem, spkiDer } = await generateKey(p.keyType);
  const signer = await importSigningKey(keyPem, 'the new CA key');
  const name = [{ CN: [p.commonName] }];
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: name,
      issuer: name,
      ...validityWindow(p.now, p.validDays),
      publicKey: spkiDer,
      signingKey: signer.key,
      signingAlgorithm: signer.algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(spkiDer, false, x509.webCrypto),
      ],
    },
    x509.webCrypto,
  );
  return { certPem: pemText(cert), keyPem };
}
