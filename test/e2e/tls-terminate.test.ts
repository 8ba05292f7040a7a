import { clockFrom, DAY_4_3_SUPPORTED } from '../helpers/clock.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp from 'amqplib';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { amqpRoundTrip } from './clients/amqp-load.js';
import { trustClusterCa } from './clients/client-tls.js';
import { waitFor } from './harness/cluster-probes.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { deployWithOps } from './harness/ops-deploy.js';
import { subnetOf } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';
import { runAction } from '../../ops/run-action.js';
import type { StatusData } from '../../ops/index.js';

/**
 * Issue 12, TLS ended at nginx (`clients: terminate`) on one machine, with inter-node TLS:
 * clients get nginx's certificate and nginx re-encrypts to the brokers, checking theirs against
 * the CA; certificates rotated with the same CA, then a new CA with an overlap. Subnet
 * 172.30.221.0/24, ports 44000+.
 */
const harness = useE2eHarness();
const PORT = { amqp: 44001, amqps: 44002, https: 44003 };
let cluster: GeneratedCluster | undefined;
let caPem = '';

/** The certificate served at 127.0.0.1:port, checked against the cluster CA and the name localhost. */
function served(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: [caPem], timeout: 5_000 }, () => {
      const cert = socket.getPeerX509Certificate()!;
      socket.destroy();
      resolve(cert);
    });
    socket.once('error', reject);
    socket.once('timeout', () => (socket.destroy(), reject(new Error(`no TLS answer on ${port}`))));
  });
}

/** `day`: the date the action believes it is (check judges support on it). */
const run = (action: string, argv: string[] = [], day?: string) => {
  const h = harness();
  const runner = { run: (c: Parameters<typeof h.runner.run>[0]) => h.runner.run({ ...c, env: { ...h.env, ...(c.env ?? {}) } }) };
  const now = day ? { now: clockFrom(day) } : {};
  return runAction(action, argv, {
    dir: cluster!.clusterDir,
    actor: { via: 'cli', id: 'e2e' },
    tools: { runner, waits: { pollMs: 1000, healthyMs: 300_000, clusteredMs: 180_000 }, ...now },
  });
};

describe('TLS ended at nginx and re-encrypted to the brokers (RabbitMQ 4.3, one machine)', () => {
  beforeAll(async () => {
    const h = harness();
    const spec = {
      name: 'e2e-tls-term',
      rabbitmq: { image: h.images.v43.ref, version: '4.3.6', plugins: ['rabbitmq_management'] },
      nodes: [1, 2, 3].map((i) => ({ name: `rabbit${i}`, ports: { amqp: 44010 + i, management: 44020 + i, amqps: 44030 + i, https: 44040 + i } })),
      loadBalancer: {
        image: h.images.v43.ref,
        listeners: [
          { protocol: 'amqp', port: PORT.amqp },
          { protocol: 'amqps', port: PORT.amqps },
          { protocol: 'https', port: PORT.https },
        ],
      },
      network: { subnet: `${subnetOf(221)}.0/24` },
      limits: { nofile: 0 },
      tls: { clients: 'terminate', interNode: true },
    };
    cluster = await openGeneratedCluster('e2e-tls-term', spec, h.env, h.runner);
    caPem = await readFile(join(cluster.clusterDir, 'tls', 'ca.pem'), 'utf8');
    trustClusterCa(caPem);
    const deployed = await deployWithOps(cluster, h.env, h.runner);
    if (!deployed.ok) throw new Error(`deploy failed: ${deployed.headline}\n${deployed.text}`);
  }, 900_000);

  afterAll(async () => {
    trustClusterCa(undefined);
    await cluster?.down();
  }, 300_000);

  it("clients get nginx's certificate (not a broker's), AMQPS and HTTPS work through it", async () => {
    const lbPem = await readFile(join(cluster!.clusterDir, 'tls', 'lb.pem'), 'utf8');
    expect((await served(PORT.amqps)).fingerprint256).toBe(new X509Certificate(lbPem).fingerprint256);
    const auth = `${encodeURIComponent(cluster!.admin.user)}:${encodeURIComponent(cluster!.admin.pass)}`;
    expect(await amqpRoundTrip(`amqps://${auth}@localhost:${PORT.amqps}`, 'e2e-term-amqps', 20)).toBe(20);
    // the management API through nginx's TLS, re-encrypted to a broker's 15671
    const overview = await new Promise<number>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: PORT.https, servername: 'localhost', ca: [caPem] }, () => {
        socket.write(
          `GET /api/overview HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${Buffer.from(`${cluster!.admin.user}:${cluster!.admin.pass}`).toString('base64')}\r\nConnection: close\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(Number(text.split(' ')[1])));
      socket.on('error', reject);
    });
    expect(overview).toBe(200);
    // a client that trusts only the system's CAs refuses it
    await expect(amqp.connect(`amqps://${auth}@localhost:${PORT.amqps}`, { timeout: 5_000 })).rejects.toThrow(
      /self[- ]signed|unable to (get|verify)|certificate/i,
    );
  }, 300_000);

  it('check is healthy, with every certificate read and judged', async () => {
    const r = await run('check', [], DAY_4_3_SUPPORTED);
    expect((r.data as { findings: unknown[] }).findings).toEqual([]);
    const certificates = (r.data as { status: StatusData }).status.certificates ?? [];
    expect(certificates.filter((c) => c.kind === 'load-balancer').map((c) => ({ trusted: c.trusted, nameMatches: c.nameMatches }))).toEqual([
      { trusted: true, nameMatches: true },
      { trusted: true, nameMatches: true },
    ]);
  }, 300_000);

  it('rotate-certs rolls the nodes and then nginx: a new certificate at the load balancer, AMQPS still works', async () => {
    const before = (await served(PORT.amqps)).fingerprint256;
    const r = await run('rotate-certs');
    expect(r.ok).toBe(true);
    expect((r.data as { loadBalancers: string[] }).loadBalancers).toEqual(['lb1']);
    const after = await waitFor('the new certificate at nginx', 60_000, async () => {
      const fp = (await served(PORT.amqps).catch(() => undefined))?.fingerprint256;
      return fp && fp !== before ? fp : undefined;
    });
    expect(after).toBe(new X509Certificate(await readFile(join(cluster!.clusterDir, 'tls', 'lb.pem'), 'utf8')).fingerprint256);
    const auth = `${encodeURIComponent(cluster!.admin.user)}:${encodeURIComponent(cluster!.admin.pass)}`;
    expect(await amqpRoundTrip(`amqps://${auth}@localhost:${PORT.amqps}`, 'e2e-term-after', 20)).toBe(20);
  }, 900_000);

  it('a new CA with an overlap: trusted beside the old one, then signing, then alone; clients that trust the bundle never fail', async () => {
    const dir = cluster!.clusterDir;
    const auth = `${encodeURIComponent(cluster!.admin.user)}:${encodeURIComponent(cluster!.admin.pass)}`;
    const url = `amqps://${auth}@localhost:${PORT.amqps}`;
    const oldCa = caPem;
    // 1. the new CA is trusted everywhere (every node and nginx rolled); nothing it signed is served yet
    const step1 = await run('rotate-certs', ['--new-ca']);
    expect(step1.ok).toBe(true);
    const bundle = await readFile(join(dir, 'tls', 'ca.pem'), 'utf8');
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(await amqpRoundTrip(url, 'e2e-term-ca1', 10)).toBe(10);
    // clients get the bundle, then 2. every certificate from the new CA (inter-node TLS included)
    caPem = bundle;
    trustClusterCa(bundle);
    const step2 = await run('rotate-certs');
    expect(step2.ok).toBe(true);
    expect(await amqpRoundTrip(url, 'e2e-term-ca2', 10)).toBe(10);
    // a client still trusting only the old CA is refused now: the overlap was what kept it working
    await expect(amqp.connect(url, { timeout: 5_000, ca: [oldCa] })).rejects.toThrow(/unable to (get|verify)|certificate|signature/i);
    // 3. the old CA leaves the bundle
    const step3 = await run('rotate-certs', ['--retire-previous-ca']);
    expect(step3.ok).toBe(true);
    caPem = await readFile(join(dir, 'tls', 'ca.pem'), 'utf8');
    expect(caPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    trustClusterCa(caPem);
    expect(await amqpRoundTrip(url, 'e2e-term-ca3', 10)).toBe(10);
    const check = await run('check', [], DAY_4_3_SUPPORTED);
    expect((check.data as { findings: unknown[] }).findings).toEqual([]);
  }, 900_000);
});
