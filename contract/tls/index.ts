/**
 * Certificates for a cluster: a CA, node and client certificates it signs, and what status, check
 * and rotate-certs read back from them. contract/ so the generator and the operations core share it.
 */
export { createCa, type CertificateAndKey } from './create-ca.js';
export { issueCertificate } from './issue-certificate.js';
export { inspectCertificate, type CertificateInfo } from './inspect-certificate.js';
export { verifiedBy } from './verified-by.js';
export { certificatesOf, verifiedByBundle } from './ca-bundle.js';
export { expiryState, daysLeft, EXPIRY_WARN_DAYS, EXPIRY_CRITICAL_DAYS, type ExpiryState } from './expiry.js';
export { certificateMatches, dnsNameMatches, type NodeIdentity } from './certificate-matches.js';
export { TlsError, TlsInputError } from './errors.js';
export { keyMatchesCertificate } from './key-matches.js';
export { pemText } from './create-ca.js';
export { CLOCK_SKEW_MS } from './certificate-fields.js';
export { DEFAULT_KEY_TYPE, KEY_TYPES, MAX_VALID_DAYS, USAGES, type CaParams, type CertificateUsage, type KeyType, type LeafParams } from './inputs.js';
