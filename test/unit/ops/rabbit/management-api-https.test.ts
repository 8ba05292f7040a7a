import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCa, issueCertificate, type CertificateAndKey } from '../../../../contract/tls/index.js';
import { readClusterSecrets } from '../../../../ops/cluster-secrets.js';
import { loadCluster } from '../../../../ops/load-cluster.js';
import { httpGetJson } from '../../../../ops/net/http-get-json.js';
import { ManagementApi } from '../../../../ops/rabbit/management-api.js';
import { clusterDir } from '../fake-runner.js';
import { tlsManifest, writeCa } from '../tls-manifest.js';

/**
 * The management API over HTTPS against a real node:https server on 127.0.0.1: the server must
 * be signed by the cluster CA and carry the node's name (not 127.0.0.1, which it need not list).
 */
let ca: CertificateAndKey;
let otherCa: CertificateAndKey;
let rabbit1: CertificateAndKey;
let rabbit1ByOther: CertificateAndKey;
let rabbit9: CertificateAndKey;
const servers: Server[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  const now = new Date();
  ca = await createCa({ commonName: 'secure CA', validDays: 60, now });
  otherCa = await createCa({ commonName: 'someone else CA', validDays: 60, now });
  const leaf = { dnsNames: ['rabbit1'], ipAddresses: ['10.0.0.11'], validDays: 30, now };
  rabbit1 = await issueCertificate(ca, { commonName: 'rabbit1', ...leaf });
  rabbit1ByOther = await issueCertificate(otherCa, { commonName: 'rabbit1', ...leaf });
  rabbit9 = await issueCertificate(ca, { commonName: 'rabbit9', ...leaf, dnsNames: ['rabbit9'] });
});

afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** An HTTPS server answering /api/overview for the right credentials; its port. */
async function serve(cert: CertificateAndKey): Promise<number> {
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('admin:pass-SECRET-1234').toString('base64')}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? JSON.stringify({ rabbitmq_version: '4.1.4' }) : '{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** rabbit1 publishes https on `port` (and nothing else answers): the API as `status` builds it. */
async function apiFor(port: number) {
  const dir = await clusterDir(tlsManifest((n) => (n === 1 ? { amqp: 5672, https: port } : { amqp: 5672 + n })));
  dirs.push(dir);
  await writeCa(dir, ca.certPem);
  const cluster = await loadCluster(dir);
  return new ManagementApi(cluster, await readClusterSecrets(cluster, {}), httpGetJson);
}

describe('management API over HTTPS', () => {
  test('a node serving a certificate of the cluster CA with its name is asked over https, reached at 127.0.0.1', async () => {
    const port = await serve(rabbit1);
    const api = await apiFor(port);
    expect(api.candidates()).toEqual([`https://127.0.0.1:${port}`]);
    await expect(api.connect()).resolves.toEqual({ base: `https://127.0.0.1:${port}`, version: '4.1.4' });
  });

  test('a certificate signed by another CA is refused', async () => {
    const port = await serve(rabbit1ByOther);
    const result = await (await apiFor(port)).connect();
    expect(result).toEqual({
      unavailable: expect.stringMatching(
        new RegExp(`^https://127\\.0\\.0\\.1:${port}: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_SIGNATURE_FAILURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)`),
      ),
    });
  });

  test('a certificate of the cluster CA for another name is refused', async () => {
    const port = await serve(rabbit9);
    const result = await (await apiFor(port)).connect();
    expect(result).toEqual({ unavailable: `https://127.0.0.1:${port}: ERR_TLS_CERT_ALTNAME_INVALID` });
  });

  test('without the CA file nothing is sent: the reason names the file', async () => {
    const port = await serve(rabbit1);
    const dir = await clusterDir(tlsManifest((n) => (n === 1 ? { https: port } : {})));
    dirs.push(dir);
    const cluster = await loadCluster(dir);
    const result = await new ManagementApi(cluster, await readClusterSecrets(cluster, {}), httpGetJson).connect();
    expect(result).toEqual({ unavailable: expect.stringContaining('cannot read the cluster CA tls/ca.pem (ENOENT)') });
  });
});

describe('which URL the management API tries with tls', () => {
  const api = (m: ReturnType<typeof tlsManifest>) =>
    new ManagementApi({ dir: '/x', manifest: m }, { user: 'u', password: 'p', cookie: undefined, all: [] }, async () => ({}));

  test('https before http on the same node; http only while non-TLS listeners are allowed', () => {
    const both = (n: number) => ({ management: 15671 + n * 10, https: 15670 + n * 10 });
    expect(api(tlsManifest(both)).candidates()).toEqual(['https://127.0.0.1:15680', 'https://127.0.0.1:15690', 'https://127.0.0.1:15700']);
    expect(api(tlsManifest((n) => ({ management: 15671 + n * 10 }))).candidates()).toEqual([
      'http://127.0.0.1:15681',
      'http://127.0.0.1:15691',
      'http://127.0.0.1:15701',
    ]);
    expect(api(tlsManifest((n) => ({ management: 15671 + n * 10 }), { disableNonTls: true })).candidates()).toEqual([]);
  });

  test('on container addresses (nothing published): https on 15671 when plain listeners are off', () => {
    const m = tlsManifest(() => ({}), { disableNonTls: true });
    m.nodes = m.nodes.map((n, i) => ({ ...n, address: `172.30.0.${11 + i}` }));
    expect(api(m).candidates()).toEqual(['https://172.30.0.11:15671', 'https://172.30.0.12:15671', 'https://172.30.0.13:15671']);
    m.tls!.disableNonTls = false;
    expect(api(m).candidates()).toEqual(['http://172.30.0.11:15672', 'http://172.30.0.12:15672', 'http://172.30.0.13:15672']);
  });

  test('the cluster CA and the node name go with each https request (the name to verify, whatever the URL host)', async () => {
    const m = tlsManifest((n) => ({ https: 15670 + n }));
    const dir = await clusterDir(m);
    dirs.push(dir);
    await writeCa(dir, ca.certPem);
    const seen: unknown[] = [];
    const a = new ManagementApi({ dir, manifest: m }, { user: 'u', password: 'p', cookie: undefined, all: [] }, async (url, _auth, _ms, trust) => {
      seen.push([url, trust]);
      if (url.startsWith('https://127.0.0.1:15671')) throw new Error('refused');
      return { rabbitmq_version: '4.1.4' };
    });
    expect(await a.connect()).toEqual({ base: 'https://127.0.0.1:15672', version: '4.1.4' });
    expect(seen).toEqual([
      ['https://127.0.0.1:15671/api/overview', { ca: ca.certPem, servername: 'rabbit1' }],
      ['https://127.0.0.1:15672/api/overview', { ca: ca.certPem, servername: 'rabbit2' }],
    ]);
  });
});
