import { execa } from 'execa';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateCluster } from '../../../generator/generate.js';
import { loadSpec } from '../../../generator/spec/load-spec.js';
import { formatFinding } from '../../../lib/findings.js';
import { withTempDir } from '../../helpers/cli.js';
import type { TlsRenewal } from '../../../generator/tls/tls-material.js';
import { certificatesOf } from '../../../contract/tls/index.js';

/** A three-machine spec with `tls:` (generated certificates), patched per test. */
function spec(tls: Record<string, unknown> = {}, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tlsgen',
    rabbitmq: { image: 'rabbitmq:4.3-management', plugins: ['rabbitmq_management', 'rabbitmq_mqtt'] },
    hosts: [
      { name: 'mq1', address: '10.30.0.11', nodes: ['rabbit1'] },
      { name: 'mq2', address: '10.30.0.12', nodes: ['rabbit2'] },
      { name: 'mq3', address: '10.30.0.13', nodes: ['rabbit3'] },
      { name: 'lb1', address: '10.30.0.21', loadBalancer: true },
    ],
    nodes: ['rabbit1', 'rabbit2', 'rabbit3'],
    loadBalancer: { keepalived: { virtualIp: '10.30.0.100/24', virtualRouterId: 40 } },
    tls: { interNode: true, ...tls },
    ...patch,
  };
}

const errorsOf = (s: Record<string, unknown>) => loadSpec(stringify(s)).errors.map(formatFinding);

async function gen(dir: string, s: Record<string, unknown>, options: { check?: boolean; now?: Date; renewTls?: TlsRenewal } = {}) {
  return generateCluster({ text: stringify(s), name: 'tlsgen.yaml', dir }, { outDir: join(dir, 'out'), env: {}, ...options });
}

describe('tls: impossible combinations are refused with their path', () => {
  test('terminate with client certificates', () => {
    expect(errorsOf(spec({ clients: 'terminate', clientCertificates: true }))).toContainEqual(
      expect.stringMatching(/^tls\.clientCertificates: cannot be used with clients: terminate/),
    );
  });
  test('a plain listener with disableNonTls', () => {
    const s = spec({ disableNonTls: true });
    (s.loadBalancer as Record<string, unknown>).listeners = [{ protocol: 'amqp', port: 5672 }];
    expect(errorsOf(s)).toContain(
      'loadBalancer.listeners[0].protocol: amqp is plain text, and tls.disableNonTls closes it on every node; use amqps instead (or set disableNonTls: false)',
    );
  });
  test('a TLS listener without tls:', () => {
    const s = spec();
    delete s.tls;
    (s.loadBalancer as Record<string, unknown>).listeners = [{ protocol: 'amqps', port: 5671 }];
    expect(errorsOf(s)).toContainEqual(expect.stringMatching(/^loadBalancer\.listeners\[0\]\.protocol: amqps needs TLS certificates/));
  });
  test('a TLS node port without tls:', () => {
    const s = spec();
    delete s.tls;
    s.nodes = [{ name: 'rabbit1', ports: { amqps: 5671 } }, 'rabbit2', 'rabbit3'];
    expect(errorsOf(s)).toContain('nodes[0].ports.amqps: nothing listens on amqps without tls: in the spec; add tls: {} or remove this port');
  });
  test('a name certificates cannot carry', () => {
    expect(errorsOf(spec({ names: ['*.example.com'] }))).toContain(
      'tls.names[0]: "*.example.com" is neither a DNS name (letters, digits, "-" and dots, no wildcard) nor an IPv4 address; certificates can only carry those',
    );
  });
  test('own files that miss a node', () => {
    expect(errorsOf(spec({ certificates: { ca: 'ca.pem', nodes: { rabbit1: { cert: 'a', key: 'b' }, rabbit9: { cert: 'a', key: 'b' } } } }))).toEqual(
      expect.arrayContaining([
        'tls.certificates.nodes: has no certificate for node rabbit2; add rabbit2: { cert: <file>, key: <file> }',
        'tls.certificates.nodes.rabbit9: there is no node named rabbit9 (nodes: rabbit1, rabbit2, rabbit3)',
      ]),
    );
  });
  test('default listeners: AMQPS, HTTPS and MQTTS first, plain ones only while allowed', () => {
    const open = loadSpec(stringify(spec())).model!;
    expect(open.loadBalancer!.listeners.map((l) => `${l.protocol}:${l.port}`)).toEqual([
      'amqps:5671',
      'https:15671',
      'mqtts:8883',
      'amqp:5672',
      'management:15672',
      'mqtt:1883',
    ]);
    const closed = loadSpec(stringify(spec({ disableNonTls: true }))).model!;
    expect(closed.loadBalancer!.listeners.map((l) => l.protocol)).toEqual(['amqps', 'https', 'mqtts']);
    expect(Object.keys(closed.nodes[0]!.ports).sort()).toEqual(['amqps', 'https', 'mqtts']);
  });
});

describe('generated certificates', () => {
  test('are issued once, verified by openssl against the CA, name their node, address and the VIP, and are kept by the next gen', async () => {
    await withTempDir(async (dir) => {
      const first = await gen(dir, spec({ names: ['mq.example.internal'] }));
      expect(first.plan.tlsIssued).toEqual(['CA', 'rabbit1', 'rabbit2', 'rabbit3']);
      const out = first.result.clusterDir;
      for (const key of ['tls/ca.key', 'tls/rabbit1.key', 'hosts/mq1/tls/rabbit1.key']) expect((await stat(join(out, key))).mode & 0o777).toBe(0o600);
      const ignored = await readFile(join(out, '.gitignore'), 'utf8');
      expect(ignored).toContain('/tls/ca.key');
      expect(ignored).toContain('/hosts/mq2/tls/rabbit2.key');
      // no machine gets the CA's key, and mq1 only its own node's
      expect(
        first.plan.files
          .filter((f) => f.path.startsWith('hosts/mq1/tls/'))
          .map((f) => f.path)
          .sort(),
      ).toEqual(['hosts/mq1/tls/ca.pem', 'hosts/mq1/tls/rabbit1.key', 'hosts/mq1/tls/rabbit1.pem']);
      for (const [node, address] of [
        ['rabbit1', '10.30.0.11'],
        ['rabbit2', '10.30.0.12'],
        ['rabbit3', '10.30.0.13'],
      ] as const) {
        const pem = join(out, 'tls', `${node}.pem`);
        expect((await execa('openssl', ['verify', '-CAfile', join(out, 'tls/ca.pem'), pem])).stdout.trim()).toBe(`${pem}: OK`);
        const san = (await execa('openssl', ['x509', '-in', pem, '-noout', '-ext', 'subjectAltName,extendedKeyUsage'])).stdout;
        for (const name of [
          `DNS:${node}`,
          'DNS:mq.example.internal',
          `IP Address:${address}`,
          'IP Address:10.30.0.100',
          'TLS Web Server Authentication',
          'TLS Web Client Authentication',
        ])
          expect(san).toContain(name);
      }
      const again = await gen(dir, spec({ names: ['mq.example.internal'] }));
      expect(again.plan.tlsIssued).toEqual([]);
      expect(again.result.changes.filter((c) => c.kind !== 'unchanged')).toEqual([]);
      // a node moved to another address: its certificate no longer fits and only it is issued again
      const moved = spec({ names: ['mq.example.internal'] });
      (moved.hosts as Array<Record<string, unknown>>)[2]!.address = '10.30.0.14';
      expect((await gen(dir, moved)).plan.tlsIssued).toEqual(['rabbit3']);
    });
  }, 60_000);

  test('--check in a checkout (keys git-ignored, so absent) compares the certificates and leaves the keys out', async () => {
    await withTempDir(async (dir) => {
      const { result } = await gen(dir, spec());
      for (const key of [
        'tls/ca.key',
        'tls/rabbit1.key',
        'tls/rabbit2.key',
        'tls/rabbit3.key',
        'hosts/mq1/tls/rabbit1.key',
        'hosts/mq2/tls/rabbit2.key',
        'hosts/mq3/tls/rabbit3.key',
      ])
        await rm(join(result.clusterDir, key));
      const check = await gen(dir, spec(), { check: true });
      expect(check.plan.tlsIssued).toEqual([]);
      expect(check.result.changes.filter((c) => c.kind !== 'unchanged')).toEqual([]);
      expect(check.result.notCompared.sort()).toContain('tls/rabbit1.key');
    });
  }, 60_000);

  test('a certificate to issue and no CA key: refused, naming the file and the way out', async () => {
    await withTempDir(async (dir) => {
      const { result } = await gen(dir, spec());
      await rm(join(result.clusterDir, 'tls/ca.key'));
      const moved = spec();
      (moved.hosts as Array<Record<string, unknown>>)[0]!.address = '10.30.0.15';
      await expect(gen(dir, moved)).rejects.toThrow(/tls: a certificate must be issued, and tls\/ca\.key \(the CA's key\) is missing/);
    });
  }, 60_000);

  test('a new CA with an overlap: trusted beside the old one first, then signing, then alone', async () => {
    await withTempDir(async (dir) => {
      const { result } = await gen(dir, spec());
      const out = result.clusterDir;
      const read = (p: string) => readFile(join(out, p), 'utf8');
      const oldCa = await read('tls/ca.pem');
      const oldNode = await read('tls/rabbit1.pem');
      const verify = async (caFile: string, pem: string) => (await execa('openssl', ['verify', '-CAfile', caFile, pem], { reject: false })).exitCode;
      // 1. the new CA is trusted everywhere beside the old one; nothing it signed is served yet
      const step1 = await gen(dir, spec(), { renewTls: { nodes: [], loadBalancer: false, ca: 'new' } });
      expect(step1.plan.tlsIssued).toEqual(['CA']);
      const bundle = certificatesOf(await read('tls/ca.pem'));
      expect(bundle).toHaveLength(2);
      expect(bundle[1]).toBe(oldCa);
      expect(await read('tls/rabbit1.pem')).toBe(oldNode);
      expect(await read('hosts/mq1/tls/ca.pem')).toBe(bundle.join(''));
      // 2. every certificate from the new CA; the old CA is still trusted (clients not yet moved)
      const step2 = await gen(dir, spec(), { renewTls: { nodes: ['rabbit1', 'rabbit2', 'rabbit3'], loadBalancer: false } });
      expect(step2.plan.tlsIssued).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
      await writeFile(join(dir, 'new-ca.pem'), bundle[0]!);
      await writeFile(join(dir, 'old-ca.pem'), oldCa);
      expect(await verify(join(dir, 'new-ca.pem'), join(out, 'tls/rabbit1.pem'))).toBe(0);
      expect(await verify(join(dir, 'old-ca.pem'), join(out, 'tls/rabbit1.pem'))).not.toBe(0);
      // 3. the old CA leaves the bundle; nothing needs issuing
      const step3 = await gen(dir, spec(), { renewTls: { nodes: [], loadBalancer: false, ca: 'retire-previous' } });
      expect(step3.plan.tlsIssued).toEqual([]);
      expect(certificatesOf(await read('tls/ca.pem'))).toEqual([bundle[0]]);
    });
  }, 60_000);

  test("the user's own files: a certificate from another CA is refused with its spec path", async () => {
    await withTempDir(async (dir) => {
      const { result } = await gen(dir, spec());
      const other = await gen(join(dir, 'other'), { ...spec(), name: 'other' });
      const pem = (p: string) => join(result.clusterDir, p);
      await writeFile(join(dir, 'own.yaml'), '');
      const files = {
        ca: pem('tls/ca.pem'),
        nodes: {
          rabbit1: { cert: pem('tls/rabbit1.pem'), key: pem('tls/rabbit1.key') },
          rabbit2: { cert: join(other.result.clusterDir, 'tls/rabbit2.pem'), key: join(other.result.clusterDir, 'tls/rabbit2.key') },
          rabbit3: { cert: pem('tls/rabbit3.pem'), key: pem('tls/rabbit2.key') },
        },
      };
      const error = await gen(join(dir, 'own'), { ...spec({ certificates: files }), name: 'own' }).catch((e: Error) => e);
      expect(String(error)).toMatch(/tls\.certificates\.nodes\.rabbit2\.cert: .*rabbit2\.pem is not signed by/);
      expect(String(error)).toMatch(/tls\.certificates\.nodes\.rabbit3\.key: .*rabbit2\.key is not the key of/);
      expect(String(error)).not.toContain('PRIVATE KEY');
    });
  }, 60_000);
});
