import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { createCa, issueCertificate, type LeafParams } from '../contract/tls/index.js';
import { formatRatio, timeCall } from './measure.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const NODE: LeafParams = { commonName: 'rabbit1', dnsNames: ['rabbit1', 'mq.example.com'], ipAddresses: ['10.0.0.11', '10.0.0.100'], validDays: 825, now: NOW };

/**
 * What `gen` and `rotate-certs` pay per node certificate (a new key and a certificate signed by a
 * CA of the same type), against generating a bare P-256 key pair with node:crypto in the same run:
 * the part that is not key generation is rmq-compose's (and @peculiar/x509's) own cost.
 */
export async function benchCertificates(): Promise<string[]> {
  const keyPair = promisify(generateKeyPair);
  const baseline = await timeCall('node:crypto P-256 key pair', 50, () => keyPair('ec', { namedCurve: 'P-256' }));
  const ecdsaCa = await createCa({ commonName: 'bench CA', validDays: 3650, now: NOW });
  const rsaCa = await createCa({ commonName: 'bench RSA CA', validDays: 3650, now: NOW, keyType: 'rsa-3072' });
  const ecdsa = await timeCall('node certificate, ecdsa-p256', 20, () => issueCertificate(ecdsaCa, { ...NODE, keyType: 'ecdsa-p256' }));
  const rsa = await timeCall('node certificate, rsa-3072', 5, () => issueCertificate(rsaCa, { ...NODE, keyType: 'rsa-3072' }));
  return [
    `baseline: node:crypto P-256 key pair median ${baseline.medianMs.toFixed(2)} ms over ${baseline.runs} runs`,
    formatRatio(ecdsa, baseline),
    formatRatio(rsa, baseline),
  ];
}
