import { clockFrom, DAY_4_3_SUPPORTED } from '../helpers/clock.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp from 'amqplib';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { createSocket } from 'node:dgram';
import { amqpRoundTrip } from './clients/amqp-load.js';
import { amqpConnectOptions, trustClusterCa } from './clients/client-tls.js';
import { mqttRoundTrip } from './clients/mqtt-round-trip.js';
import { reportFigures, waitFor } from './harness/cluster-probes.js';
import { findInCapture, startLanCapture, type PacketCapture } from './harness/machines/lan-capture.js';
import { declareQueue, machineOfNode, publishThrough } from './harness/machines/machine-probes.js';
import type { MachineSet } from './harness/machines/machine-set.js';
import { ONE_DISC_NODE_PER_BROKER, type MultiHostCluster } from './harness/machines/multi-host-cluster.js';
import { startMultiHostCluster, type MultiHostFixture } from './harness/machines/multi-host-fixture.js';
import { useE2eHarness } from './harness/setup.js';
import type { StatusData } from '../../ops/index.js';
import { statusThroughBot } from './harness/bot-status.js';
import { messageText } from '../support/fake-slack-api.js';

/**
 * Issue 12: nothing in clear on the LAN. Three broker machines and two load-balancer machines
 * (network namespaces on one bridge), RabbitMQ 4.3 with `tls:` (generated CA and certificates,
 * AMQPS/MQTTS/HTTPS passed through nginx, no plain listener, Erlang distribution over TLS). A
 * packet capture on the bridge during deploy (clustering), a client login and messages must show
 * neither the password, nor the bodies, nor the Erlang node names.
 */
const harness = useE2eHarness();
const figures: Record<string, unknown> = {};
let fixture: MultiHostFixture | undefined;
let set: MachineSet | undefined;
let cluster: MultiHostCluster | undefined;
let capture: PacketCapture | undefined;
let caPem = '';

const amqpsUrl = (c: MultiHostCluster, host = c.vip) => `amqps://${encodeURIComponent(c.admin.user)}:${encodeURIComponent(c.admin.pass)}@${host}:5671`;

/** True when nothing accepts a TCP connection there (refused, or no answer within 3 s). */
function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port, timeout: 3_000 });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('timeout', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(true));
  });
}

/** SHA-256 fingerprint of the certificate a TLS port serves. */
function servedFingerprint(host: string, port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, servername, ca: [caPem], timeout: 5_000 }, () => {
      const fp = socket.getPeerX509Certificate()!.fingerprint256;
      socket.destroy();
      resolve(fp);
    });
    socket.once('error', reject);
    socket.once('timeout', () => (socket.destroy(), reject(new Error(`no TLS answer from ${host}:${port}`))));
  });
}

describe('TLS everywhere across machines (RabbitMQ 4.3, inter-node TLS, no plain listener)', () => {
  beforeAll(async () => {
    const h = harness();
    fixture = await startMultiHostCluster(
      h,
      {
        line: 'v43',
        name: 'e2e-tls',
        formation: 'auto',
        nodes: ONE_DISC_NODE_PER_BROKER,
        loadBalancers: ['lb1', 'lb2'],
        edit: (spec) => {
          (spec.loadBalancer as Record<string, unknown>).listeners = [
            { protocol: 'amqps', port: 5671 },
            { protocol: 'mqtts', port: 8883 },
            { protocol: 'https', port: 15671 },
          ];
          spec.tls = { clients: 'passthrough', disableNonTls: true, interNode: true };
        },
      },
      figures,
    );
    ({ set, cluster } = fixture);
    caPem = await readFile(join(cluster.dir, 'tls', 'ca.pem'), 'utf8');
    trustClusterCa(caPem);
    capture = await startLanCapture(h.runner, set.lan);
  }, 900_000);

  afterAll(async () => {
    trustClusterCa(undefined);
    try {
      await capture?.remove();
      await fixture?.close();
    } finally {
      reportFigures('tls-multi-host', figures);
    }
  }, 300_000);

  it('generates certificates openssl verifies against the CA, each naming its node, its address and the VIP', async () => {
    for (const node of cluster!.model.nodes) {
      const pem = join(cluster!.dir, 'tls', `${node.name}.pem`);
      const verify = await execa('openssl', ['verify', '-CAfile', join(cluster!.dir, 'tls', 'ca.pem'), pem], { reject: false, timeout: 30_000 });
      expect(verify.stdout.trim()).toBe(`${pem}: OK`);
      const san = await execa('openssl', ['x509', '-in', pem, '-noout', '-ext', 'subjectAltName'], { timeout: 30_000 });
      const address = cluster!.model.hosts.find((h) => h.name === node.host)!.address!;
      expect(san.stdout).toContain(`DNS:${node.name}`);
      expect(san.stdout).toContain(`IP Address:${address}`);
      expect(san.stdout).toContain(`IP Address:${cluster!.vip}`);
    }
  }, 120_000);

  it('deploys over SSH with inter-node TLS; AMQPS and MQTTS round trips through the VIP check the CA; plain ports are closed', async () => {
    const deploy = await cluster!.cli(['deploy', '-d', cluster!.dir, '--yes']);
    figures.deployMs = deploy.ms;
    if (deploy.exitCode !== 0) throw new Error(`deploy exited ${deploy.exitCode}:\n${deploy.stdout}\n${deploy.stderr}`);
    expect(deploy.stdout).toMatch(/3 nodes clustered/);
    const { user, pass } = cluster!.admin;
    expect(await amqpRoundTrip(amqpsUrl(cluster!), 'e2e-tls-amqps', 20)).toBe(20);
    expect(await mqttRoundTrip(`mqtts://${cluster!.vip}:8883`, { username: user, password: pass }, 'e2e-tls/mqtts', 10)).toBe(10);
    // a client that does not trust the cluster CA is refused by its own TLS check
    await expect(amqp.connect(amqpsUrl(cluster!), { timeout: 5_000 })).rejects.toThrow(/self[- ]signed|unable to (get|verify)|certificate/i);
    const mq1 = cluster!.model.hosts.find((h) => h.name === 'mq1')!.address!;
    const closed = {
      vip5672: await refused(cluster!.vip, 5672),
      vip1883: await refused(cluster!.vip, 1883),
      node5672: await refused(mq1, 5672),
      node1883: await refused(mq1, 1883),
      node15672: await refused(mq1, 15672),
    };
    expect(closed).toEqual({ vip5672: true, vip1883: true, node5672: true, node1883: true, node15672: true });
  }, 900_000);

  it('status, check and the bot read the served certificates, and the management API over HTTPS', async () => {
    const status = await cluster!.run('status');
    const data = status.data as StatusData;
    expect(data.source).toMatch(/^management API https:\/\//);
    const certificates = data.certificates ?? [];
    expect(certificates.map((c) => c.subject).sort()).toEqual(expect.arrayContaining(['ca', 'rabbit1', 'rabbit2', 'rabbit3']));
    for (const c of certificates.filter((x) => x.kind !== 'ca'))
      expect({ subject: c.subject, state: c.state, trusted: c.trusted, nameMatches: c.nameMatches }).toEqual({
        subject: c.subject,
        state: 'ok',
        trusted: true,
        nameMatches: true,
      });
    expect(certificates.filter((c) => c.kind === 'load-balancer').length).toBeGreaterThan(0);
    expect(status.text).toMatch(/rabbit1 certificate: \d+ days left/);
    const check = await cluster!.run('check', [], { now: clockFrom(DAY_4_3_SUPPORTED) });
    expect((check.data as { verdict: string; findings: unknown[] }).findings).toEqual([]);
    const reply = await statusThroughBot('e2e-tls', cluster!.dir);
    expect(reply.ackStatus).toBe(200);
    expect(messageText(reply.final)).toMatch(/rabbit2 certificate: \d+ days left/);
  }, 300_000);

  it('lets no password, message body or Erlang node name cross the LAN in clear', async () => {
    const body = `e2e-tls-body-${randomBytes(6).toString('hex')}`;
    const connection = await amqp.connect(amqpsUrl(cluster!), amqpConnectOptions(amqpsUrl(cluster!), 10_000));
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertQueue('e2e-tls-bodies', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      for (let i = 0; i < 20; i++) channel.sendToQueue('e2e-tls-bodies', Buffer.from(body), { persistent: true });
      await channel.waitForConfirms();
      const got = await waitFor('a body back', 30_000, async () => (await channel.get('e2e-tls-bodies', { noAck: true })) || undefined);
      expect(got.content.toString()).toBe(body);
    } finally {
      await connection.close();
    }
    // the control: a datagram sent in clear to a LAN machine is seen by the same capture
    const control = `e2e-tls-control-${randomBytes(6).toString('hex')}`;
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.send(control, 9, set!.get('lb1').address, () => resolve()));
    udp.close();
    await new Promise((r) => setTimeout(r, 1_000));
    const { pcap, packets } = await capture!.stop();
    figures.captureBytes = pcap.length;
    figures.capturePackets = packets;
    const { user, pass } = cluster!.admin;
    // the management API's Basic authorization (status asked it over HTTPS above), as it would travel
    const basic = Buffer.from(`${user}:${pass}`).toString('base64');
    const search = findInCapture(pcap, [control, Buffer.from([0x16, 0x03]), pass, basic, body, 'rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3']);
    const [seen, handshakes, ...secrets] = search.hits;
    // the capture saw traffic: the clear control, and TLS records (content type 22, version 3.x)
    expect(search.truncated).toBe(false);
    expect(seen!.packets).toBeGreaterThan(0);
    expect(handshakes!.packets).toBeGreaterThan(0);
    // searched per packet, per reassembled TCP direction and in the raw file
    expect(secrets.filter((h) => h.found).map((h) => String(h.needle))).toEqual([]);
  }, 300_000);

  it('rotate-certs under a publishing client: new certificates served, no confirmed message lost', async () => {
    const before = await Promise.all(
      cluster!.model.nodes.map((n) => servedFingerprint(cluster!.model.hosts.find((h) => h.name === n.host)!.address!, 5671, n.name)),
    );
    const target = { url: `${amqpsUrl(cluster!)}?heartbeat=5`, queue: 'e2e-tls-rotate', queueType: 'quorum' as const };
    await declareQueue(target);
    let rotated: Awaited<ReturnType<MultiHostCluster['run']>> | undefined;
    let rotateMs = 0;
    // 100 messages, then a 150 ms rest: about 500 a second, so the stream outlasts the roll of the three nodes
    const loss = await publishThrough(
      cluster!,
      target,
      40_000,
      async () => {
        const t0 = Date.now();
        rotated = await cluster!.run('rotate-certs');
        rotateMs = Date.now() - t0;
        return 'rotate-certs';
      },
      async () => {},
      150,
    );
    figures.rotateMs = rotateMs;
    figures.rotateLoss = loss;
    expect(rotated!.ok).toBe(true);
    expect(loss.missing).toBe(0);
    expect(loss.confirmed).toBe(40_000);
    // still publishing when the last node had rolled
    expect(loss.publishMs).toBeGreaterThan(rotateMs + 5_000);
    const after = await Promise.all(
      cluster!.model.nodes.map((n) => servedFingerprint(cluster!.model.hosts.find((h) => h.name === n.host)!.address!, 5671, n.name)),
    );
    for (let i = 0; i < after.length; i++) expect(after[i]).not.toBe(before[i]);
  }, 1_200_000);

  it('survives the loss of a broker machine with inter-node TLS on', async () => {
    const victim = machineOfNode(cluster!, 'rabbit3');
    figures.killedProcesses = await set!.get(victim).hardKill();
    expect(await amqpRoundTrip(amqpsUrl(cluster!), 'e2e-tls-after-loss', 20)).toBe(20);
    const status = await waitFor(
      'status without rabbit3',
      120_000,
      async () => {
        const r = await cluster!.run('status');
        const nodes = (r.data as StatusData).nodes;
        return nodes.filter((n) => n.running).length === 2 ? nodes : undefined;
      },
      3_000,
    );
    expect(
      status
        .filter((n) => n.running)
        .map((n) => n.name)
        .sort(),
    ).toEqual(['rabbit1', 'rabbit2']);
  }, 600_000);
});
