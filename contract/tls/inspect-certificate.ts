import { createHash } from 'node:crypto';
import { TlsError } from './errors.js';
import { isCaCertificate, readCertificate } from './read-certificate.js';
import * as x509 from './x509.js';

/** What status, check and rotate-certs need to know about one certificate. */
export interface CertificateInfo {
  /** The subject's first CN, if it has one. */
  subjectCommonName: string | undefined;
  issuerCommonName: string | undefined;
  /** subjectAltName DNS names, as written in the certificate. */
  dnsNames: string[];
  /** subjectAltName IP addresses (IPv4 dotted, IPv6 as the library prints it). */
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
  /** Lowercase hex, no separators, no leading 00 sign byte. */
  serialHex: string;
  /** SHA-256 of the DER certificate, uppercase hex pairs joined by ":" (as `openssl x509 -fingerprint -sha256` prints it). */
  sha256Fingerprint: string;
  /** basicConstraints says CA:TRUE. */
  isCa: boolean;
  /**
   * extendedKeyUsage as names ('serverAuth', 'clientAuth', ...; an unknown purpose as its OID),
   * or undefined when the certificate has no such extension (then any use is allowed).
   */
  extendedKeyUsages: string[] | undefined;
}

const USAGE_NAMES = new Map<string, string>(Object.entries(x509.ExtendedKeyUsage).map(([name, oid]) => [oid, name]));

const firstCn = (name: x509.Name) => name.getField('CN')[0];

/** The facts of one PEM certificate; a TlsError (with `label`) when it cannot be read. */
export function inspectCertificate(pem: string, label = 'the certificate'): CertificateInfo {
  const cert = readCertificate(pem, label);
  try {
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
    return {
      subjectCommonName: firstCn(cert.subjectName),
      issuerCommonName: firstCn(cert.issuerName),
      dnsNames: san.filter((n) => n.type === 'dns').map((n) => n.value),
      ipAddresses: san.filter((n) => n.type === 'ip').map((n) => n.value),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      serialHex: cert.serialNumber.toLowerCase(),
      sha256Fingerprint: createHash('sha256').update(new Uint8Array(cert.rawData)).digest('hex').toUpperCase().match(/../g)!.join(':'),
      isCa: isCaCertificate(cert),
      extendedKeyUsages: eku ? Array.from(eku.usages, (usage) => USAGE_NAMES.get(String(usage)) ?? String(usage)) : undefined,
    };
  } catch (error) {
    if (error instanceof TlsError) throw error;
    throw new TlsError(`${label} could not be read: one of its extensions is malformed or of a kind rmq-compose does not read`);
  }
}
