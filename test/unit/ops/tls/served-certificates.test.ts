import { rm } from 'node:fs/promises';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { statusBlocks } from '../../../../bot/render/status-blocks.js';
import { createCa, inspectCertificate, issueCertificate, type CertificateAndKey } from '../../../../contract/tls/index.js';
import type { ClusterManifest } from '../../../../contract/manifest.js';
import { TlsPeerError, tlsPeerCertificate, type TlsPeerCertificate } from '../../../../ops/net/tls-peer.js';
import { runAction } from '../../../../ops/run-action.js';
import { certificateLine } from '../../../../ops/status/certificate-lines.js';
import type { StatusData } from '../../../../ops/status/status-view.js';
import { gatherCertificates } from '../../../../ops/tls/gather-certificates.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir, COMPOSE_V2, fakeTools, PS, psJson, ScriptedRunner } from '../fake-runner.js';
import { tlsManifest, writeCa } from '../tls-manifest.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY = 86_400_000;
let ca: CertificateAndKey;
let otherCa: CertificateAndKey;
let rabbit1: CertificateAndKey;
let rabbit2ByOther: CertificateAndKey;
let lbCert: CertificateAndKey;
const dirs: string[] = [];

beforeAll(async () => {
  ca = await createCa({ commonName: 'secure CA', validDays: 3650, now: NOW });
  otherCa = await createCa({ commonName: 'other CA', validDays: 3650, now: NOW });
  rabbit1 = await issueCertificate(ca, { commonName: 'rabbit1', dnsNames: ['rabbit1'], validDays: 41, now: NOW });
  rabbit2ByOther = await issueCertificate(otherCa, { commonName: 'rabbit2', dnsNames: ['rabbit2'], validDays: 400, now: NOW });
  lbCert = await issueCertificate(ca, { commonName: 'mq', dnsNames: ['mq.example.com', 'rabbit1'], ipAddresses: ['10.0.0.100'], validDays: 20, now: NOW });
});
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('reading the certificate a TLS port serves (node:tls, real sockets on 127.0.0.1)', () => {
  const open = new Set<Socket>();
  const listening = async <S extends Server | TcpServer>(server: S): Promise<{ server: S; port: number }> => {
    server.on('connection', (s: Socket) => open.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as AddressInfo).port };
  };

  test('the served certificate comes back as PEM, whoever signed it; a closed port is unreachable; a plain TCP service is a failed handshake', async () => {
    const tls = await listening(createServer({ cert: rabbit2ByOther.certPem, key: rabbit2ByOther.keyPem }, (s) => s.end()));
    const plain = await listening(createTcpServer((s) => s.end('AMQP\x00\x00\x09\x01')));
    const closed = await listening(createTcpServer());
    await new Promise((resolve) => closed.server.close(resolve));
    try {
      const pem = await tlsPeerCertificate('127.0.0.1', tls.port, { servername: 'rabbit2', timeoutMs: 3_000 });
      expect(inspectCertificate(pem).serialHex).toBe(inspectCertificate(rabbit2ByOther.certPem).serialHex);
      await expect(tlsPeerCertificate('127.0.0.1', closed.port, { timeoutMs: 3_000 })).rejects.toMatchObject({ kind: 'unreachable', message: 'ECONNREFUSED' });
      await expect(tlsPeerCertificate('127.0.0.1', plain.port, { timeoutMs: 3_000 })).rejects.toMatchObject({ kind: 'handshake' });
      await expect(tlsPeerCertificate('127.0.0.1', tls.port, { timeoutMs: 3_000, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(TlsPeerError);
    } finally {
      // close() waits for every connection: the servers' ends may still be open
      for (const socket of open) socket.destroy();
      await Promise.all([tls.server, plain.server].map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });
});

/** rabbit1 publishes amqps, rabbit2 only https, rabbit3 mqtts; a VIP load balancer with amqp and amqps listeners. */
function secureManifest(): ClusterManifest {
  const m = tlsManifest((n) => (n === 1 ? { amqp: 5672, amqps: 5671 } : n === 2 ? { management: 15672, https: 15692 } : { mqtts: 8893 }), {
    names: ['mq.example.com'],
  });
  m.loadBalancer = {
    listeners: [
      { protocol: 'amqp', port: 5670 },
      { protocol: 'amqps', port: 5669 },
    ],
    virtualIp: '10.0.0.100/24',
    instances: [{ name: 'lb1', host: 'local', address: '10.0.0.21', nginxService: 'lb1', keepalivedService: 'ka1' }],
  };
  return m;
}

/** A tlsPeer that answers from a table by host:port: a PEM, or a TlsPeerError. */
function scriptedPeer(table: Record<string, string | TlsPeerError>, calls: string[] = []): TlsPeerCertificate {
  return async (host, port, o) => {
    calls.push(`${host}:${port} ${o.servername ?? '-'} ${o.timeoutMs}`);
    const answer = table[`${host}:${port}`];
    if (answer === undefined) throw new TlsPeerError('ECONNREFUSED', 'unreachable');
    if (answer instanceof TlsPeerError) throw answer;
    return answer;
  };
}

describe('served-certificate facts', () => {
  test('each node on its first TLS port, the LB listener at the VIP, the CA from the folder: expiry, trust, names', async () => {
    const m = secureManifest();
    const dir = await clusterDir(m);
    dirs.push(dir);
    await writeCa(dir, ca.certPem);
    const calls: string[] = [];
    const tlsPeer = scriptedPeer(
      {
        '127.0.0.1:5671': rabbit1.certPem,
        '127.0.0.1:15692': rabbit2ByOther.certPem,
        '127.0.0.1:8893': new TlsPeerError('TLS handshake failed (ECONNRESET)', 'handshake'),
        '10.0.0.100:5669': lbCert.certPem,
      },
      calls,
    );
    const facts = await gatherCertificates({ dir, manifest: m }, { tlsPeer, now: () => NOW.getTime() + DAY / 2 });
    expect(calls.sort()).toEqual([
      '10.0.0.100:5669 mq.example.com 3000',
      '127.0.0.1:15692 rabbit2 3000',
      '127.0.0.1:5671 rabbit1 3000',
      '127.0.0.1:8893 rabbit3 3000',
    ]);
    expect(facts).toEqual([
      { subject: 'ca', kind: 'ca', source: 'tls/ca.pem', notAfter: '2036-11-25T12:00:00.000Z', daysLeft: 3649, state: 'ok' },
      {
        subject: 'rabbit1',
        kind: 'node',
        source: '127.0.0.1:5671 (amqps)',
        notAfter: '2027-01-08T12:00:00.000Z',
        daysLeft: 40,
        state: 'ok',
        trusted: true,
        nameMatches: true,
      },
      {
        subject: 'rabbit2',
        kind: 'node',
        source: '127.0.0.1:15692 (https)',
        notAfter: expect.any(String),
        daysLeft: 399,
        state: 'ok',
        trusted: false,
        nameMatches: true,
      },
      { subject: 'rabbit3', kind: 'node', source: '127.0.0.1:8893 (mqtts)', error: 'TLS handshake failed (ECONNRESET)' },
      {
        subject: 'lb:5669',
        kind: 'load-balancer',
        source: '10.0.0.100:5669 (amqps)',
        notAfter: '2026-12-18T12:00:00.000Z',
        daysLeft: 19,
        state: 'warn',
        trusted: true,
        nameMatches: true,
      },
    ]);
    expect(facts.map(certificateLine)).toEqual([
      'CA certificate: 3649 days left (2036-11-25)',
      'rabbit1 certificate: 40 days left (2027-01-08), signed by the cluster CA, names match',
      expect.stringMatching(/^rabbit2 certificate: 399 days left \(2028-01-02\), NOT signed by the cluster CA, names match$/),
      'rabbit3 certificate: not read from 127.0.0.1:8893 (mqtts): TLS handshake failed (ECONNRESET)',
      'lb:5669 certificate: 19 days left (2026-12-18), rotate soon, signed by the cluster CA, names match',
    ]);
  });

  test('names: a node certificate without the node name, an LB certificate without the VIP or a name clients use', async () => {
    const m = secureManifest();
    m.tls!.names = ['mq.example.com', 'amqp.example.com'];
    const dir = await clusterDir(m);
    dirs.push(dir);
    await writeCa(dir, ca.certPem);
    const wrong = await issueCertificate(ca, { commonName: 'rabbit1', dnsNames: ['rabbit9'], ipAddresses: ['10.0.0.9'], validDays: 100, now: NOW });
    const facts = await gatherCertificates(
      { dir, manifest: m },
      { tlsPeer: scriptedPeer({ '127.0.0.1:5671': wrong.certPem, '10.0.0.100:5669': wrong.certPem }), now: () => NOW.getTime() },
    );
    const [r1, lb] = [facts.find((f) => f.subject === 'rabbit1')!, facts.find((f) => f.subject === 'lb:5669')!];
    expect(r1).toMatchObject({
      trusted: true,
      nameMatches: false,
      nameProblems: ["rabbit1 (the node's host name) is not among the certificate's DNS names (rabbit9)"],
    });
    expect(lb.nameMatches).toBe(false);
    expect(lb.nameProblems).toEqual([
      "10.0.0.100 (a name clients use) is not among the certificate's IP addresses (10.0.0.9)",
      "mq.example.com (a name clients use) is not among the certificate's DNS names (rabbit9)",
      "amqp.example.com (a name clients use) is not among the certificate's DNS names (rabbit9)",
    ]);
    // unreachable ports are said as such (node-down and listener judge them)
    expect(facts.find((f) => f.subject === 'rabbit2')).toMatchObject({ error: 'ECONNREFUSED', unreachable: true });
  });

  test('without a VIP: each LB instance (127.0.0.1 on one local machine without keepalived), named by instance when there are several', async () => {
    const m = secureManifest();
    m.loadBalancer = {
      listeners: [
        { protocol: 'amqps', port: 5669 },
        { protocol: 'https', port: 15669 },
      ],
      instances: [{ name: 'lb1', host: 'local', nginxService: 'lb1' }],
    };
    const dir = await clusterDir(m);
    dirs.push(dir);
    await writeCa(dir, ca.certPem);
    const calls: string[] = [];
    const facts = await gatherCertificates({ dir, manifest: m }, { tlsPeer: scriptedPeer({}, calls), now: () => NOW.getTime() });
    expect(facts.filter((f) => f.kind === 'load-balancer').map((f) => [f.subject, f.source])).toEqual([
      ['lb:5669', '127.0.0.1:5669 (amqps)'],
      ['lb:15669', '127.0.0.1:15669 (https)'],
    ]);
    m.hosts = [
      { name: 'mq1', address: '10.0.0.11', composeFile: 'a.yml', services: [] },
      { name: 'mq2', address: '10.0.0.12', composeFile: 'b.yml', services: [] },
    ];
    m.nodes = m.nodes.map((n) => ({ ...n, host: 'mq1' }));
    m.loadBalancer.instances = [
      { name: 'lb1', host: 'mq1', nginxService: 'lb1' },
      { name: 'lb2', host: 'mq2', nginxService: 'lb2' },
    ];
    const multi = await gatherCertificates({ dir, manifest: m }, { tlsPeer: scriptedPeer({}), now: () => NOW.getTime() });
    expect(multi.filter((f) => f.kind === 'load-balancer').map((f) => [f.subject, f.source])).toEqual([
      ['lb1:5669', '10.0.0.11:5669 (amqps)'],
      ['lb1:15669', '10.0.0.11:15669 (https)'],
      ['lb2:5669', '10.0.0.12:5669 (amqps)'],
      ['lb2:15669', '10.0.0.12:15669 (https)'],
    ]);
    expect(multi.find((f) => f.subject === 'rabbit1')?.source).toBe('10.0.0.11:5671 (amqps)');
  });

  test('a missing CA file: said on the CA line; served certificates still read, trust left unknown', async () => {
    const m = secureManifest();
    const dir = await clusterDir(m);
    dirs.push(dir);
    const facts = await gatherCertificates({ dir, manifest: m }, { tlsPeer: scriptedPeer({ '127.0.0.1:5671': rabbit1.certPem }), now: () => NOW.getTime() });
    expect(facts[0]).toEqual({
      subject: 'ca',
      kind: 'ca',
      source: 'tls/ca.pem',
      error: expect.stringContaining('cannot read the cluster CA tls/ca.pem (ENOENT)'),
    });
    expect(facts[1]).toMatchObject({ subject: 'rabbit1', state: 'ok', nameMatches: true });
    expect(facts[1]).not.toHaveProperty('trusted');
    expect(certificateLine(facts[1]!)).toBe('rabbit1 certificate: 41 days left (2027-01-08), not checked (the CA could not be read), names match');
  });
});

describe('status with and without tls', () => {
  const ALL_UP = psJson([
    ['rabbit1', 'running', 'healthy'],
    ['rabbit2', 'running', 'healthy'],
    ['rabbit3', 'running', 'healthy'],
  ]);
  const http = async (url: string) => {
    if (url.endsWith('/api/overview')) return { rabbitmq_version: '4.1.4' };
    if (url.includes('/api/nodes?')) return [1, 2, 3].map((n) => ({ name: `rabbit@rabbit${n}`, type: 'disc', running: true, partitions: [] }));
    return [];
  };

  test('with tls: the certificate lines in the text and the data, through the https API', async () => {
    const m = tlsManifest((n) => ({ amqps: 5670 + n, https: 15670 + n }));
    const dir = await clusterDir(m);
    dirs.push(dir);
    await writeCa(dir, ca.certPem);
    const seen: string[] = [];
    const tools = fakeTools(new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP]]), {
      http: async (url, auth, ms, trust) => (seen.push(`${url} ${trust?.servername}`), http(url)),
      tlsPeer: scriptedPeer({ '127.0.0.1:5671': rabbit1.certPem }),
      now: () => NOW.getTime(),
    });
    const result = await runAction('status', [], { dir, actor: { via: 'cli', id: 't' }, audit: new MemoryAudit(), lock: new MemoryLock(), tools });
    const data = result.data as StatusData;
    expect(data.source).toBe('management API https://127.0.0.1:15671');
    expect(seen[0]).toBe('https://127.0.0.1:15671/api/overview rabbit1');
    expect(data.certificates?.map((c) => c.subject)).toEqual(['ca', 'rabbit1', 'rabbit2', 'rabbit3']);
    expect(result.text).toContain('rabbit1 certificate: 41 days left (2027-01-08), signed by the cluster CA, names match');
    // rabbit2 and rabbit3 run but their TLS ports refuse: not healthy
    expect(data.healthy).toBe(false);
    // Slack: the same lines with a mark each
    const blocks = JSON.stringify(statusBlocks(data));
    expect(blocks).toContain(':large_green_circle: rabbit1 certificate: 41 days left (2027-01-08), signed by the cluster CA, names match');
    expect(blocks).toContain(':large_yellow_circle: rabbit2 certificate: not read from 127.0.0.1:5672 (amqps): ECONNREFUSED');
  });

  test('without tls: no certificate section, no handshake', async () => {
    const m = fakeManifest();
    m.nodes = m.nodes.map((n, i) => ({ ...n, ports: { amqp: 5672 + i, management: 15672 + i } }));
    const dir = await clusterDir(m);
    dirs.push(dir);
    let handshakes = 0;
    const tools = fakeTools(new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP]]), { http, tlsPeer: async () => (handshakes++, '') });
    const result = await runAction('status', [], { dir, actor: { via: 'cli', id: 't' }, audit: new MemoryAudit(), lock: new MemoryLock(), tools });
    expect(result.data).not.toHaveProperty('certificates');
    expect(result.text).not.toContain('certificate');
    expect(handshakes).toBe(0);
    expect((result.data as StatusData).healthy).toBe(true);
  });
});
