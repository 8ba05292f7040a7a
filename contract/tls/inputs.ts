import { z } from 'zod';
import { dotPath, valueAt } from '../../lib/zod-issues.js';
import { TlsInputError } from './errors.js';

/**
 * The parameters of createCa and issueCertificate, checked before any key is generated. None of
 * them is secret, so a message may quote the value it refuses (shortened).
 */

/** Longest certificate life accepted: ten years. */
export const MAX_VALID_DAYS = 3650;

/**
 * Key types for the keys rmq-compose generates.
 * ecdsa-p256 is the default: Erlang/OTP's ssl (RabbitMQ, inter-node and client listeners) and
 * nginx (the stream load balancer, via OpenSSL) both support it, a key and certificate take about
 * 10 ms where RSA 3072 takes 0.1-1 s (the key search is random), and at the same strength
 * (128-bit security) its keys, certificates and handshakes are smaller and cheaper. rsa-3072 is
 * there for clients that only know RSA.
 */
export const KEY_TYPES = ['ecdsa-p256', 'rsa-3072'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const DEFAULT_KEY_TYPE: KeyType = 'ecdsa-p256';

/** What a certificate may be used for: RabbitMQ's inter-node TLS needs both on node certificates. */
export const USAGES = ['server-and-client', 'server', 'client'] as const;
export type CertificateUsage = (typeof USAGES)[number];

/** One DNS label: letters, digits, inner hyphens, at most 63 characters. */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** A host name, lowercase, at most 253 characters; no wildcard (every name is issued exactly). */
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
/** Subject common name: at most 64 characters (RFC 5280's upper bound), nothing a DN would parse. */
const COMMON_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._@:()-]{0,63}$/;

const quote = (value: unknown) => {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
};

const commonName = z.string().regex(COMMON_NAME, {
  error: (iss) => `${quote(iss.input)} is not a usable common name: 1-64 characters, letters, digits, space and . _ @ : ( ) -, starting with a letter or digit`,
});

/** An all-digit last label reads as an address (RFC 1123 2.1), not a name. */
const ENDS_LIKE_ADDRESS = /(^|\.)[0-9]+$/;

/**
 * Whether a certificate can carry `name` as a DNS subjectAltName, as issueCertificate accepts
 * it: a host name, any case, no wildcard, not ending like an address. The spec's `tls.names`
 * are sorted with this, so gen refuses what could not be issued.
 */
export function isCertificateDnsName(name: string): boolean {
  const lower = name.toLowerCase();
  return DNS_NAME.test(lower) && !ENDS_LIKE_ADDRESS.test(lower);
}

const dnsName = z
  .string()
  .toLowerCase()
  .regex(DNS_NAME, {
    error: (iss) =>
      `${quote(iss.input)} is not a DNS name: dot-separated labels of letters, digits and inner hyphens (1-63 characters each, 253 in all), no wildcard`,
  })
  .refine((name) => !ENDS_LIKE_ADDRESS.test(name), {
    error: (iss) => `${quote(iss.input)} looks like an address, not a DNS name; put addresses in ipAddresses`,
  });

const ipAddress = z.ipv4({ error: (iss) => `${quote(iss.input)} is not an IPv4 address (four numbers 0-255 separated by dots)` });

const validDays = z
  .int()
  .min(1, { error: 'must be at least 1 day' })
  .max(MAX_VALID_DAYS, { error: `must be at most ${MAX_VALID_DAYS} days (ten years)` });

const now = z.date({ error: 'must be a valid Date (the moment the certificate is issued at)' });

const keyType = z.enum(KEY_TYPES).default(DEFAULT_KEY_TYPE);

export const caParamsSchema = z.strictObject({ commonName, validDays, now, keyType });
export type CaParams = z.input<typeof caParamsSchema>;

const unique = <T>(values: T[]) => [...new Set(values)];

export const leafParamsSchema = z
  .strictObject({
    commonName,
    dnsNames: z.array(dnsName).max(100, { error: 'at most 100 names' }).default([]).transform(unique),
    ipAddresses: z.array(ipAddress).max(100, { error: 'at most 100 addresses' }).default([]).transform(unique),
    validDays,
    now,
    usage: z.enum(USAGES).default('server-and-client'),
    keyType,
  })
  .refine((p) => p.dnsNames.length + p.ipAddresses.length > 0, {
    path: ['dnsNames'],
    error: 'a certificate needs at least one DNS name or IP address (TLS clients check the subjectAltName, not the common name)',
  });
export type LeafParams = z.input<typeof leafParamsSchema>;

function describe(issue: z.core.$ZodIssue, input: unknown): Array<{ field: string; message: string }> {
  const field = dotPath(issue.path) || '(parameters)';
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: dotPath([...issue.path, key]), message: 'unknown parameter (a typo?)' }));
  if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(input, issue.path) === undefined) return [{ field, message: 'is required' }];
  if (issue.code === 'invalid_value') return [{ field, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
  if (issue.code === 'invalid_type') {
    const expected: Record<string, string> = { int: 'a whole number', array: 'a list', object: 'an object' };
    return [{ field, message: issue.expected === 'date' ? issue.message : `must be ${expected[issue.expected] ?? `a ${issue.expected}`}` }];
  }
  return [{ field, message: issue.message }];
}

/** The parsed parameters, or a TlsInputError whose lines each start with the field at fault. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new TlsInputError(
    what,
    result.error.issues.flatMap((issue) => describe(issue, input)),
  );
}
