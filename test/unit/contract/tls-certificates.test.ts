import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateMatches,
  CLOCK_SKEW_MS,
  createCa,
  EXPIRY_CRITICAL_DAYS,
  EXPIRY_WARN_DAYS,
  expiryState,
  inspectCertificate,
  issueCertificate,
  TlsError,
  TlsInputError,
  verifiedBy,
  type CertificateAndKey,
  type LeafParams,
} from '../../../contract/tls/index.js';

/**
 * The certificates are checked by OpenSSL's own command, not by the library that made them.
 * openssl is required: without it the suite fails in beforeAll and says so.
 */

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

let dir: string;
let fileCount = 0;

async function openssl(args: string[], input?: string) {
  return execa('openssl', args, { reject: false, input, timeout: 30_000 });
}

/** Writes PEM text to a new file in the test folder (mode 0600, as key files are meant to be). */
async function file(name: string, text: string): Promise<string> {
  const path = join(dir, `${++fileCount}-${name}`);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

const node1: LeafParams = {
  commonName: 'rabbit1',
  dnsNames: ['rabbit1', 'mq.example.com'],
  ipAddresses: ['10.0.0.11', '10.0.0.100'],
  validDays: 825,
  now: NOW,
};

let ca: CertificateAndKey;
let otherCa: CertificateAndKey;
let node: CertificateAndKey;

beforeAll(async () => {
  const version = await openssl(['version']);
  if (version.failed || version.exitCode !== 0) {
    throw new Error(
      `these tests check certificates with the openssl command, which could not be run (${version.shortMessage ?? version.stderr}); install OpenSSL (Debian: apt-get install openssl) and run them again`,
    );
  }
  dir = await mkdtemp(join(tmpdir(), 'rmq-compose-tls-'));
  ca = await createCa({ commonName: 'rmq-compose test CA', validDays: 3650, now: NOW });
  otherCa = await createCa({ commonName: 'rmq-compose test CA', validDays: 3650, now: NOW });
  node = await issueCertificate(ca, node1);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('openssl verify', () => {
  test('an issued certificate verifies against its CA, and not against another CA with the same name', async () => {
    const caFile = await file('ca.pem', ca.certPem);
    const otherCaFile = await file('other-ca.pem', otherCa.certPem);
    const nodeFile = await file('node.pem', node.certPem);
    // -attime: the certificates are dated NOW, which is not the machine's clock
    const at = ['-attime', String(NOW.getTime() / 1000 + 60)];

    const good = await openssl(['verify', ...at, '-CAfile', caFile, nodeFile]);
    expect(good.stderr).toBe('');
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toContain(': OK');

    const bad = await openssl(['verify', ...at, '-CAfile', otherCaFile, nodeFile]);
    expect(bad.exitCode).not.toBe(0);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/certificate signature failure|unable to get local issuer certificate/);

    const fromOther = await issueCertificate(otherCa, node1);
    const crossed = await openssl(['verify', ...at, '-CAfile', caFile, await file('from-other.pem', fromOther.certPem)]);
    expect(crossed.exitCode).not.toBe(0);

    await expect(verifiedBy(node.certPem, ca.certPem)).resolves.toBe(true);
    await expect(verifiedBy(node.certPem, otherCa.certPem)).resolves.toBe(false);
    await expect(verifiedBy(fromOther.certPem, ca.certPem)).resolves.toBe(false);
    await expect(verifiedBy(ca.certPem, ca.certPem)).resolves.toBe(true);
  });

  test('a certificate outside its validity period fails verification (the dates are real)', async () => {
    const caFile = await file('ca.pem', ca.certPem);
    const nodeFile = await file('node.pem', node.certPem);
    const before = await openssl(['verify', '-attime', String((NOW.getTime() - CLOCK_SKEW_MS - 60_000) / 1000), '-CAfile', caFile, nodeFile]);
    expect(before.exitCode).not.toBe(0);
    expect(`${before.stdout}${before.stderr}`).toContain('not yet valid');
    const after = await openssl(['verify', '-attime', String((NOW.getTime() + 826 * DAY) / 1000), '-CAfile', caFile, nodeFile]);
    expect(after.exitCode).not.toBe(0);
    expect(`${after.stdout}${after.stderr}`).toContain('expired');
  });
});

describe('extensions as openssl reads them', () => {
  test('node certificate: SANs, serverAuth + clientAuth, CA:FALSE, digitalSignature, key identifiers', async () => {
    const nodeFile = await file('node.pem', node.certPem);
    const ext = await openssl(['x509', '-in', nodeFile, '-noout', '-ext', 'subjectAltName,extendedKeyUsage,basicConstraints,keyUsage,authorityKeyIdentifier']);
    expect(ext.exitCode).toBe(0);
    expect(ext.stdout).toContain('DNS:rabbit1, DNS:mq.example.com, IP Address:10.0.0.11, IP Address:10.0.0.100');
    expect(ext.stdout).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
    expect(ext.stdout).toMatch(/Basic Constraints: *\n\s+CA:FALSE/);
    expect(ext.stdout).toMatch(/Key Usage: critical\n\s+Digital Signature\n/);

    const caExt = await openssl([
      'x509',
      '-in',
      await file('ca.pem', ca.certPem),
      '-noout',
      '-ext',
      'basicConstraints,keyUsage,subjectKeyIdentifier,extendedKeyUsage,subjectAltName',
    ]);
    expect(caExt.stdout).toMatch(/Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/);
    expect(caExt.stdout).toMatch(/Key Usage: critical\n\s+Certificate Sign, CRL Sign/);
    expect(caExt.stdout).not.toContain('Extended Key Usage');
    // the node certificate points at its CA's key
    const ski = /Subject Key Identifier: *\n\s+([0-9A-F:]+)/.exec(caExt.stdout)?.[1];
    expect(ski).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){19}$/);
    expect(ext.stdout).toContain(ski!);
  });

  test('usage server or client gives that one extended key usage', async () => {
    for (const [usage, shown, absent] of [
      ['server', 'TLS Web Server Authentication', 'Client'],
      ['client', 'TLS Web Client Authentication', 'Server'],
    ] as const) {
      const cert = await issueCertificate(ca, { ...node1, usage });
      const ext = await openssl(['x509', '-in', await file(`${usage}.pem`, cert.certPem), '-noout', '-ext', 'extendedKeyUsage']);
      expect(ext.stdout).toContain(shown);
      expect(ext.stdout).not.toContain(`TLS Web ${absent} Authentication`);
      expect(inspectCertificate(cert.certPem).extendedKeyUsages).toEqual([usage === 'server' ? 'serverAuth' : 'clientAuth']);
    }
  });

  test('validity: notBefore a few minutes before now, notAfter validDays after; a random serial each time', async () => {
    const dates = await openssl([
      'x509',
      '-in',
      await file('node.pem', node.certPem),
      '-noout',
      '-startdate',
      '-enddate',
      '-serial',
      '-fingerprint',
      '-sha256',
    ]);
    const notBefore = new Date(/notBefore=(.+)/.exec(dates.stdout)![1]!);
    const notAfter = new Date(/notAfter=(.+)/.exec(dates.stdout)![1]!);
    expect(notBefore.getTime()).toBe(NOW.getTime() - CLOCK_SKEW_MS);
    expect(notAfter.getTime()).toBe(NOW.getTime() + 825 * DAY);

    const info = inspectCertificate(node.certPem);
    expect(info.notBefore).toEqual(notBefore);
    expect(info.notAfter).toEqual(notAfter);
    expect(info.serialHex).toBe(/serial=([0-9A-F]+)/.exec(dates.stdout)![1]!.toLowerCase());
    expect(info.serialHex).toMatch(/^[4-7][0-9a-f]{31}$/);
    expect(info.sha256Fingerprint).toBe(/Fingerprint=([0-9A-F:]+)/.exec(dates.stdout)![1]);

    const again = await issueCertificate(ca, node1);
    expect(inspectCertificate(again.certPem).serialHex).not.toBe(info.serialHex);
    expect(again.keyPem).not.toBe(node.keyPem);
  });

  test('inspectCertificate reads back what was put in', () => {
    expect(inspectCertificate(node.certPem)).toMatchObject({
      subjectCommonName: 'rabbit1',
      issuerCommonName: 'rmq-compose test CA',
      dnsNames: ['rabbit1', 'mq.example.com'],
      ipAddresses: ['10.0.0.11', '10.0.0.100'],
      isCa: false,
      extendedKeyUsages: ['serverAuth', 'clientAuth'],
    });
    expect(inspectCertificate(ca.certPem)).toMatchObject({ subjectCommonName: 'rmq-compose test CA', isCa: true, dnsNames: [], extendedKeyUsages: undefined });
  });
});

describe('keys', () => {
  async function publicKeys(cert: CertificateAndKey) {
    const keyFile = await file('key.pem', cert.keyPem);
    const fromKey = await openssl(['pkey', '-in', keyFile, '-pubout']);
    const fromCert = await openssl(['x509', '-in', await file('cert.pem', cert.certPem), '-noout', '-pubkey']);
    expect(fromKey.exitCode).toBe(0);
    expect(fromCert.exitCode).toBe(0);
    return { fromKey: fromKey.stdout, fromCert: fromCert.stdout };
  }

  test("the key is unencrypted PKCS#8 that openssl accepts, and it is the certificate's key", async () => {
    expect(node.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const check = await openssl(['pkey', '-in', await file('key.pem', node.keyPem), '-noout']);
    expect(check.exitCode).toBe(0);
    expect(check.stderr).toBe('');

    const same = await publicKeys(node);
    expect(same.fromKey).toContain('BEGIN PUBLIC KEY');
    expect(same.fromKey).toBe(same.fromCert);
    // and the comparison can fail: another certificate's key is not this one
    const other = await issueCertificate(ca, node1);
    const crossed = await publicKeys({ certPem: node.certPem, keyPem: other.keyPem });
    expect(crossed.fromKey).not.toBe(crossed.fromCert);

    const text = await openssl(['pkey', '-in', await file('key.pem', node.keyPem), '-noout', '-text']);
    expect(text.stdout).toContain('ASN1 OID: prime256v1');
  });

  test('RSA 3072: CA and node, verified by openssl, keyEncipherment as well, key matches', async () => {
    const rsaCa = await createCa({ commonName: 'rmq-compose RSA CA', validDays: 3650, now: NOW, keyType: 'rsa-3072' });
    const rsaNode = await issueCertificate(rsaCa, { ...node1, keyType: 'rsa-3072' });
    const caFile = await file('rsa-ca.pem', rsaCa.certPem);
    const nodeFile = await file('rsa-node.pem', rsaNode.certPem);
    const verify = await openssl(['verify', '-attime', String(NOW.getTime() / 1000 + 60), '-CAfile', caFile, nodeFile]);
    expect(verify.exitCode).toBe(0);

    const text = await openssl(['x509', '-in', nodeFile, '-noout', '-text']);
    expect(text.stdout).toContain('Public-Key: (3072 bit)');
    expect(text.stdout).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text.stdout).toMatch(/Key Usage: critical\n\s+Digital Signature, Key Encipherment/);
    expect(rsaNode.keyPem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    const keys = await publicKeys(rsaNode);
    expect(keys.fromKey).toBe(keys.fromCert);
    await expect(verifiedBy(rsaNode.certPem, rsaCa.certPem)).resolves.toBe(true);
    await expect(verifiedBy(rsaNode.certPem, ca.certPem)).resolves.toBe(false);

    // key types mix: the ECDSA CA signs an RSA node key
    const mixed = await issueCertificate(ca, { ...node1, keyType: 'rsa-3072' });
    expect(
      (
        await openssl([
          'verify',
          '-attime',
          String(NOW.getTime() / 1000 + 60),
          '-CAfile',
          await file('ca.pem', ca.certPem),
          await file('mixed.pem', mixed.certPem),
        ])
      ).exitCode,
    ).toBe(0);
  });

  test("the user's own CA made by openssl (P-384, PKCS#8 and SEC1 key files) signs node certificates", async () => {
    const keyFile = join(dir, 'own-ca-key.pem');
    const certFile = join(dir, 'own-ca.pem');
    const made = await openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-384',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '30',
      '-subj',
      '/CN=own-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    expect(made.exitCode).toBe(0);
    const sec1 = await openssl(['ec', '-in', keyFile]);
    expect(sec1.stdout).toContain('BEGIN EC PRIVATE KEY');
    const ownCert = await readFile(certFile, 'utf8');
    const now = new Date();
    for (const keyPem of [await readFile(keyFile, 'utf8'), sec1.stdout]) {
      const issued = await issueCertificate({ certPem: ownCert, keyPem }, { ...node1, validDays: 7, now });
      const verify = await openssl(['verify', '-CAfile', certFile, await file('own-node.pem', issued.certPem)]);
      expect(verify.exitCode).toBe(0);
      expect((await openssl(['x509', '-in', await file('own-node.pem', issued.certPem), '-noout', '-text'])).stdout).toContain('ecdsa-with-SHA384');
    }
  });
});

describe('expiryState', () => {
  const at = (ms: number) => expiryState(new Date(NOW.getTime() + ms), NOW);

  test('warn under 30 days, critical under 7, expired once past notAfter', () => {
    expect(EXPIRY_WARN_DAYS).toBe(30);
    expect(EXPIRY_CRITICAL_DAYS).toBe(7);
    expect(at(365 * DAY)).toBe('ok');
    expect(at(30 * DAY)).toBe('ok');
    expect(at(30 * DAY - 1)).toBe('warn');
    expect(at(7 * DAY)).toBe('warn');
    expect(at(7 * DAY - 1)).toBe('critical');
    expect(at(0)).toBe('critical');
    expect(at(-1)).toBe('expired');
    expect(at(-400 * DAY)).toBe('expired');
  });

  test('on an issued certificate', async () => {
    const short = await issueCertificate(ca, { ...node1, validDays: 10 });
    const { notAfter } = inspectCertificate(short.certPem);
    expect(expiryState(notAfter, NOW)).toBe('warn');
    expect(expiryState(notAfter, new Date(NOW.getTime() + 4 * DAY))).toBe('critical');
    expect(expiryState(notAfter, new Date(NOW.getTime() + 11 * DAY))).toBe('expired');
  });
});

describe('certificateMatches', () => {
  test('the right node: no problem; with its Erlang node name too', () => {
    const info = inspectCertificate(node.certPem);
    expect(certificateMatches(info, { nodeName: 'rabbit1', address: '10.0.0.11' })).toEqual([]);
    expect(certificateMatches(info, { nodeName: 'rabbit@rabbit1', address: '10.0.0.100' })).toEqual([]);
    expect(certificateMatches(info, { nodeName: 'rabbit@RABBIT1' })).toEqual([]);
  });

  test('the wrong node: its name and its address are named as missing', () => {
    const problems = certificateMatches(inspectCertificate(node.certPem), { nodeName: 'rabbit@rabbit2', address: '10.0.0.12' });
    expect(problems).toEqual([
      "rabbit2 (the node's host name) is not among the certificate's DNS names (rabbit1, mq.example.com)",
      "10.0.0.12 (the node's address) is not among the certificate's IP addresses (10.0.0.11, 10.0.0.100)",
    ]);
  });

  test('a CA certificate, a server-only certificate, a wildcard', async () => {
    const caProblems = certificateMatches(inspectCertificate(ca.certPem), { nodeName: 'rabbit1' });
    expect(caProblems.join('\n')).toContain('no subjectAltName');
    expect(caProblems.join('\n')).toContain('CA certificate');

    const serverOnly = await issueCertificate(ca, { ...node1, usage: 'server' });
    expect(certificateMatches(inspectCertificate(serverOnly.certPem), { nodeName: 'rabbit1' })).toEqual([
      "the certificate's extendedKeyUsage lacks clientAuth; a node needs both, since it accepts its peers' connections and dials them",
    ]);

    const wildcard = { ...inspectCertificate(node.certPem), dnsNames: ['*.mq.example.com'] };
    expect(certificateMatches(wildcard, { nodeName: 'rabbit@a.mq.example.com' })).toEqual([]);
    expect(certificateMatches(wildcard, { nodeName: 'rabbit@mq.example.com' })).toHaveLength(1);
    expect(certificateMatches(wildcard, { nodeName: 'rabbit@a.b.mq.example.com' })).toHaveLength(1);
  });
});

describe('invalid input: a TlsInputError naming the field', () => {
  async function inputError(params: unknown): Promise<TlsInputError> {
    const error = await issueCertificate(ca, params as LeafParams).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsInputError);
    return error as TlsInputError;
  }

  test.each([
    [{ dnsNames: ['rabbit1', 'bad_name'] }, 'dnsNames[1]', /"bad_name" is not a DNS name/],
    [{ dnsNames: ['-rabbit'] }, 'dnsNames[0]', /not a DNS name/],
    [{ dnsNames: ['*.example.com'] }, 'dnsNames[0]', /no wildcard/],
    [{ dnsNames: ['10.0.0.1'] }, 'dnsNames[0]', /looks like an address/],
    [{ ipAddresses: ['10.0.0.300'] }, 'ipAddresses[0]', /"10.0.0.300" is not an IPv4 address/],
    [{ ipAddresses: ['rabbit1'] }, 'ipAddresses[0]', /not an IPv4 address/],
    [{ validDays: 0 }, 'validDays', /at least 1 day/],
    [{ validDays: 3651 }, 'validDays', /at most 3650 days/],
    [{ validDays: 1.5 }, 'validDays', /whole number/],
    [{ validDays: undefined }, 'validDays', /is required/],
    [{ validDays: '30' }, 'validDays', /must be a number/],
    [{ commonName: 'a,CN=evil' }, 'commonName', /not a usable common name/],
    [{ commonName: '' }, 'commonName', /not a usable common name/],
    [{ now: new Date('nonsense') }, 'now', /valid Date/],
    [{ keyType: 'dsa-1024' }, 'keyType', /must be one of "ecdsa-p256", "rsa-3072"/],
    [{ usage: 'both' }, 'usage', /must be one of "server-and-client", "server", "client"/],
    [{ dnsNames: [], ipAddresses: [] }, 'dnsNames', /at least one DNS name or IP address/],
    [{ dnsName: ['rabbit1'] }, 'dnsName', /unknown parameter/],
  ])('%o → %s', async (change, field, message) => {
    const error = await inputError({ ...node1, ...change });
    expect(error.fields).toEqual([field]);
    expect(error.message).toMatch(new RegExp(`^cannot issue a certificate for "[^"]*": ${field.replace(/[[\]]/g, '\\$&')}: `));
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(2);
  });

  test('several problems at once, one line each; createCa too', async () => {
    const error = await inputError({ ...node1, dnsNames: ['ok', 'not ok'], validDays: -3 });
    expect(error.fields).toEqual(['dnsNames[1]', 'validDays']);
    expect(error.message).toContain('2 problems:\n  - dnsNames[1]: ');
    const caError = await createCa({ commonName: 'x', validDays: 99999, now: NOW }).catch((e: unknown) => e);
    expect(caError).toBeInstanceOf(TlsInputError);
    expect((caError as TlsInputError).message).toBe('cannot create the CA: validDays: must be at most 3650 days (ten years)');
  });
});

describe('an unusable CA: a TlsError in plain words, never the key', () => {
  /** The base64 lines of a PEM: none may appear in any message. */
  const secretLines = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));

  async function caError(given: CertificateAndKey, params: LeafParams = node1): Promise<TlsError> {
    const error = await issueCertificate(given, params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsError);
    const message = (error as TlsError).message;
    for (const line of [...secretLines(given.keyPem ?? ''), ...secretLines(ca.keyPem), ...secretLines(otherCa.keyPem)]) expect(message).not.toContain(line);
    expect((error as TlsError).cause).toBeUndefined();
    return error as TlsError;
  }

  test("a key that is not the certificate's", async () => {
    expect((await caError({ certPem: ca.certPem, keyPem: otherCa.keyPem })).message).toBe(
      'the CA key does not belong to the CA certificate (CN=rmq-compose test CA): their public keys differ',
    );
  });

  test('a damaged key, an encrypted key, no PEM at all', async () => {
    const damaged = ca.keyPem.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA');
    expect((await caError({ certPem: ca.certPem, keyPem: damaged })).message).toMatch(/^the CA key (is not a readable private key|does not belong)/);
    const encrypted = await openssl(['pkey', '-in', await file('ca-key.pem', ca.keyPem), '-aes256', '-passout', 'pass:secret']);
    expect(encrypted.stdout).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect((await caError({ certPem: ca.certPem, keyPem: encrypted.stdout })).message).toMatch(/^the CA key is encrypted with a passphrase/);
    expect((await caError({ certPem: 'hello', keyPem: ca.keyPem })).message).toMatch(/^the CA certificate is not a PEM certificate/);
  });

  test('a node certificate used as a CA; a certificate that would outlive its CA', async () => {
    expect((await caError(node)).message).toBe('the CA certificate (CN=rabbit1) is not a CA certificate: its basicConstraints do not say CA:TRUE');
    const shortCa = await createCa({ commonName: 'short CA', validDays: 30, now: NOW });
    expect((await caError(shortCa, { ...node1, validDays: 31 })).message).toMatch(
      /would outlive its CA \(CN=short CA, valid until 2026-12-28T12:00:00.000Z\); issue for at most 30 days/,
    );
    expect((await caError(shortCa, { ...node1, validDays: 1, now: new Date(NOW.getTime() + 31 * DAY) })).message).toMatch(/expired on 2026-12-28/);
  });

  test('unreadable PEM given to inspectCertificate or verifiedBy is a TlsError, not false', async () => {
    expect(() => inspectCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(TlsError);
    await expect(verifiedBy(node.certPem, 'nope')).rejects.toThrow('the CA certificate is not a PEM certificate');
  });
});
