import { randomSerialHex, validityWindow } from './certificate-fields.js';
import { pemText, type CertificateAndKey } from './create-ca.js';
import { TlsError } from './errors.js';
import { leafParamsSchema, parseParams, type CertificateUsage, type KeyType, type LeafParams } from './inputs.js';
import { generateKey } from './keys.js';
import { loadCa } from './load-ca.js';
import * as x509 from './x509.js';

const EXTENDED_USAGES: Record<CertificateUsage, string[]> = {
  'server-and-client': [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
  server: [x509.ExtendedKeyUsage.serverAuth],
  client: [x509.ExtendedKeyUsage.clientAuth],
};

/**
 * keyUsage as RabbitMQ's TLS guide asks: digitalSignature for ECDHE-ECDSA and ECDHE-RSA suites,
 * keyEncipherment as well on RSA keys (suites with RSA key transport, still offered in TLS 1.2);
 * an EC key cannot encipher, so it does not claim to.
 */
function keyUsage(keyType: KeyType): x509.KeyUsageFlags {
  const flags = x509.KeyUsageFlags.digitalSignature;
  return keyType === 'rsa-3072' ? flags | x509.KeyUsageFlags.keyEncipherment : flags;
}

/**
 * A certificate signed by `ca` with a new key: the DNS names and IP addresses as subjectAltName,
 * extendedKeyUsage serverAuth and/or clientAuth (RabbitMQ's inter-node TLS needs both on a node's
 * certificate: every node dials its peers and accepts them), CA:FALSE, the CA's key identifier as
 * authorityKeyIdentifier, a random serial, valid from a few minutes before `now`.
 */
export async function issueCertificate(ca: CertificateAndKey, params: LeafParams): Promise<CertificateAndKey> {
  const p = parseParams(
    leafParamsSchema,
    params,
    `cannot issue a certificate${typeof params?.commonName === 'string' ? ` for ${JSON.stringify(params.commonName.slice(0, 64))}` : ''}`,
  );
  const issuer = await loadCa(ca);
  const validity = validityWindow(p.now, p.validDays);
  if (p.now.getTime() > issuer.cert.notAfter.getTime())
    throw new TlsError(`the CA certificate (${issuer.cert.subject}) expired on ${issuer.cert.notAfter.toISOString()}; rotate the CA before issuing`);
  if (validity.notAfter.getTime() > issuer.cert.notAfter.getTime()) {
    const days = Math.floor((issuer.cert.notAfter.getTime() - p.now.getTime()) / 86_400_000);
    throw new TlsError(
      `a certificate valid for ${p.validDays} days would outlive its CA (${issuer.cert.subject}, valid until ${issuer.cert.notAfter.toISOString()}); issue for at most ${days} days, or rotate the CA first`,
    );
  }

  const { keyPem, spkiDer } = await generateKey(p.keyType);
  const caKeyId = issuer.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const authorityKeyId = caKeyId
    ? new x509.AuthorityKeyIdentifierExtension(caKeyId)
    : await x509.AuthorityKeyIdentifierExtension.create(issuer.cert.publicKey, false, x509.webCrypto);
  const names = [...p.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...p.ipAddresses.map((value) => ({ type: 'ip' as const, value }))];

  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: [{ CN: [p.commonName] }],
      issuer: issuer.cert.subjectName,
      ...validity,
      publicKey: spkiDer,
      signingKey: issuer.signer.key,
      signingAlgorithm: issuer.signer.algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, false),
        new x509.KeyUsagesExtension(keyUsage(p.keyType), true),
        new x509.ExtendedKeyUsageExtension(EXTENDED_USAGES[p.usage], false),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.SubjectKeyIdentifierExtension.create(spkiDer, false, x509.webCrypto),
        authorityKeyId,
      ],
    },
    x509.webCrypto,
  );
  return { certPem: pemText(cert), keyPem };
}
