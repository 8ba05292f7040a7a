import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { planCluster } from '../../../generator/plan.js';
import { specPath } from '../../helpers/spec-files.js';

/** The generated files of a spec, by path. */
function render(text: string, name = 'spec.yaml'): Map<string, string> {
  return new Map(planCluster(text, name).files.map((f) => [f.path, f.contents]));
}
const compose = (files: Map<string, string>, path: string) => parse(files.get(path)!) as { services: Record<string, { ports?: string[] }> };

describe('hosts layout: a node publishes its ports on its machine’s address only', () => {
  const prod = render(readFileSync(specPath('prod'), 'utf8'), 'prod.yaml');

  test.each([
    ['mq1', 'rabbit1', '192.168.1.17'],
    ['mq2', 'rabbit2', '192.168.1.18'],
    ['mq3', 'rabbit3', '192.168.1.19'],
  ])('%s: every port of %s, epmd and distribution included, is bound to %s', (host, node, address) => {
    const ports = compose(prod, `hosts/${host}/docker-compose.yml`).services[node]!.ports!;
    expect(ports).toEqual([`${address}:5672:5672`, `${address}:15672:15672`, `${address}:1883:1883`, `${address}:4369:4369`, `${address}:25672:25672`]);
  });

  test("one machine: a node's own ports on 127.0.0.1 only, the load balancer's listeners on every interface (issue 19)", () => {
    const seed = compose(render(readFileSync(specPath('seed'), 'utf8'), 'seed.yaml'), 'docker-compose.yml');
    expect(seed.services['rabbit1']!.ports).toEqual(['127.0.0.1:5672:5672', '127.0.0.1:15672:15672']);
    expect(seed.services['lb1-netns']!.ports).toEqual(['1884:1884', '5670:5670']);
  });

  test('one machine with network.openNodePorts: every interface, as before; with hosts: it is an error', () => {
    const text = readFileSync(specPath('seed'), 'utf8');
    const open = compose(render(`${text}\nnetwork: { openNodePorts: true }\n`, 'seed.yaml'), 'docker-compose.yml');
    expect(open.services['rabbit1']!.ports).toEqual(['5672:5672', '15672:15672']);
    const prodText = readFileSync(specPath('prod'), 'utf8');
    expect(() => render(`${prodText}\nnetwork: { openNodePorts: true }\n`, 'prod.yaml')).toThrow(
      /network\.openNodePorts: with hosts:, each node publishes its ports on its machine's address .*remove network\.openNodePorts/,
    );
  });
});

interface Service {
  volumes?: string[];
  configs?: Array<{ source: string; target: string; mode: number }>;
  labels?: Record<string, string>;
}
interface Compose {
  services: Record<string, Service>;
  configs?: Record<string, { content: string }>;
}

describe('hosts reached through docker: get their files as configs, not bind mounts', () => {
  const text = readFileSync(specPath('remote'), 'utf8');
  const plan = planCluster(text, 'remote.yaml');
  const remote = new Map(plan.files.map((f) => [f.path, f]));
  const composeOf = (host: string) => parse(remote.get(`hosts/${host}/docker-compose.yml`)!.contents) as Compose;

  const expected: Array<[host: string, service: string, Array<[file: string, target: string, mode: number]>]> = [
    [
      'mq1',
      'rabbit1',
      [
        ['rabbitmq/rabbitmq.conf', '/etc/rabbitmq/rabbitmq.conf', 0o444],
        ['rabbitmq/enabled_plugins', '/etc/rabbitmq/enabled_plugins', 0o444],
        ['rabbitmq/entrypoint.sh', '/etc/rabbitmq-compose/entrypoint.sh', 0o555],
        ['rabbitmq/memory-rabbit1.conf', '/etc/rabbitmq/conf.d/30-rmq-compose-memory.conf', 0o444],
      ],
    ],
    [
      'mq3',
      'rabbit3',
      [
        ['rabbitmq/rabbitmq.conf', '/etc/rabbitmq/rabbitmq.conf', 0o444],
        ['rabbitmq/enabled_plugins', '/etc/rabbitmq/enabled_plugins', 0o444],
        ['rabbitmq/entrypoint.sh', '/etc/rabbitmq-compose/entrypoint.sh', 0o555],
        ['rabbitmq/memory-rabbit3.conf', '/etc/rabbitmq/conf.d/30-rmq-compose-memory.conf', 0o444],
        ['rabbitmq/ram-node.conf', '/etc/rabbitmq/conf.d/20-rmq-compose-node-type.conf', 0o444],
      ],
    ],
    ['lb1', 'nginx', [['nginx/nginx.conf', '/etc/nginx/nginx.conf', 0o444]]],
    [
      'lb1',
      'keepalived',
      [
        ['keepalived/lb1.conf', '/etc/keepalived/keepalived.conf', 0o444],
        ['keepalived/start.sh', '/etc/keepalived/start.sh', 0o555],
        ['keepalived/check-nginx.sh', '/etc/keepalived/check-nginx.sh', 0o555],
      ],
    ],
    [
      'lb2',
      'keepalived',
      [
        ['keepalived/lb2.conf', '/etc/keepalived/keepalived.conf', 0o444],
        ['keepalived/start.sh', '/etc/keepalived/start.sh', 0o555],
        ['keepalived/check-nginx.sh', '/etc/keepalived/check-nginx.sh', 0o555],
      ],
    ],
  ];

  test.each(expected)('%s/%s: each generated file is a config whose content, $$ read back as $, is the file’s bytes', (host, service, files) => {
    const compose = composeOf(host);
    const refs = compose.services[service]!.configs!;
    expect(refs.map((r) => [r.target, r.mode])).toEqual(files.map(([, target, mode]) => [target, mode]));
    refs.forEach((ref, i) => {
      expect(ref.source).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      const content = compose.configs![ref.source]!.content;
      // Compose interpolates content: the writer doubles every literal $
      expect(content.replace(/\$\$/g, '$')).toBe(remote.get(`hosts/${host}/${files[i]![0]}`)!.contents);
      expect(content.replace(/\$\$/g, '')).not.toContain('$');
    });
  });

  test('no service of a remote host bind-mounts anything; named volumes stay; the keepalived build context stays', () => {
    for (const host of ['mq1', 'mq2', 'mq3', 'lb1', 'lb2']) {
      const compose = composeOf(host);
      for (const service of Object.values(compose.services)) {
        for (const volume of service.volumes ?? []) expect(volume).toMatch(/^rabbit\d-(data|logs):\/var\/(lib|log)\/rabbitmq$/);
      }
    }
    expect(composeOf('mq2').services['rabbit2']!.volumes).toEqual(['rabbit2-data:/var/lib/rabbitmq']);
    expect(remote.get('hosts/lb1/docker-compose.yml')!.contents).toMatch(/build:\s+context: \.\/keepalived/);
  });

  test('config names are unique per file and every one is used', () => {
    for (const host of ['mq1', 'mq2', 'mq3', 'lb1', 'lb2']) {
      const compose = composeOf(host);
      const used = Object.values(compose.services).flatMap((s) => (s.configs ?? []).map((c) => c.source));
      expect(new Set(used).size).toBe(used.length);
      expect(used.sort()).toEqual(Object.keys(compose.configs!).sort());
    }
  });

  test('the files themselves are still generated and listed in the manifest', () => {
    const manifest = JSON.parse(plan.files.find((f) => f.path === 'rmq-compose.json')!.contents) as { generatedFiles: string[] };
    for (const path of [
      'hosts/mq1/rabbitmq/rabbitmq.conf',
      'hosts/mq1/rabbitmq/entrypoint.sh',
      'hosts/lb1/nginx/nginx.conf',
      'hosts/lb1/keepalived/start.sh',
    ]) {
      expect(remote.has(path)).toBe(true);
      expect(manifest.generatedFiles).toContain(path);
    }
    expect(remote.get('hosts/lb1/keepalived/start.sh')!.mode).toBe(0o755);
  });

  test('new content, new label: Compose recreates the container instead of keeping the old file', () => {
    const label = (t: string) =>
      (parse(new Map(planCluster(t, 'remote.yaml').files.map((f) => [f.path, f.contents])).get('hosts/mq1/docker-compose.yml')!) as Compose).services[
        'rabbit1'
      ]!.labels!['io.rmq-compose.configs-sha256'];
    expect(label(text)).toMatch(/^[0-9a-f]{16}$/);
    expect(label(text)).toBe(label(text));
    expect(label(text.replace('formation: auto }', 'formation: auto, heartbeat: 30 }'))).not.toBe(label(text));
  });

  test('a host without docker: in the same spec keeps bind mounts; the README says which hosts need Compose 2.23.1+', () => {
    const mixed = render(text.replace(' docker: lb2-context,', ''), 'mixed.yaml');
    const lb2 = parse(mixed.get('hosts/lb2/docker-compose.yml')!) as Compose;
    expect(lb2.configs).toBeUndefined();
    expect(lb2.services['nginx']!.volumes).toEqual(['./nginx/nginx.conf:/etc/nginx/nginx.conf:ro']);
    expect(lb2.services['nginx']!.labels).not.toHaveProperty(['io.rmq-compose.configs-sha256']);
    expect((parse(mixed.get('hosts/lb1/docker-compose.yml')!) as Compose).configs).toBeDefined();
    expect(mixed.get('README.md')).toMatch(/reached through `docker:` \(mq1, mq2, mq3, lb1\)[\s\S]*Docker Compose 2\.23\.1 or later/);
  });

  test('hosts without docker: (prod) keep bind mounts and no configs', () => {
    const prod = render(readFileSync(specPath('prod'), 'utf8'), 'prod.yaml');
    const mq1 = parse(prod.get('hosts/mq1/docker-compose.yml')!) as Compose;
    expect(mq1.configs).toBeUndefined();
    expect(mq1.services['rabbit1']!.volumes).toContain('./rabbitmq/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf:ro');
    expect(prod.get('README.md')).not.toContain('2.23.1');
  });
});

describe('the generated README of a hosts layout: ports to open between machines, from the model', () => {
  const section = (readme: string) => readme.slice(readme.indexOf('## Ports to open between machines'), readme.indexOf('## Runbook'));
  const remoteText = readFileSync(specPath('remote'), 'utf8');
  const brokers = 'mq1 (10.0.0.11), mq2 (10.0.0.12), mq3 (10.0.0.13)';
  const lbs = 'lb1 (10.0.0.21), lb2 (10.0.0.22)';

  test('remote: brokers to each other, LBs to brokers per listener, VRRP, clients to the VIP, ssh and the context', () => {
    const table = section(render(remoteText, 'remote.yaml').get('README.md')!);
    expect(table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| from'))).toEqual([
      `| ${brokers} | each other | 4369/tcp | epmd: a node asks a peer’s machine which port its node listens on |`,
      `| ${brokers} | each other | 25672/tcp | Erlang distribution: clustering, queue replication, rabbitmqctl between nodes |`,
      `| ${lbs} | ${brokers} | 5672/tcp | amqp: nginx forwards client connections to the nodes |`,
      `| ${lbs} | ${brokers} | 1883/tcp | mqtt: nginx forwards client connections to the nodes |`,
      `| ${lbs} | each other | IP protocol 112 (VRRP) | keepalived adverts, unicast between these addresses: who holds the virtual IP 10.0.0.100 |`,
      '| clients | 10.0.0.100 (virtual IP) | 5672/tcp | amqp through nginx |',
      '| clients | 10.0.0.100 (virtual IP) | 1883/tcp | mqtt through nginx |',
      `| the machine running rmq-compose | ${brokers} | 15672/tcp | management API: \`rmq-compose status\` reads it (without it, status asks rabbitmqctl through Docker) |`,
      '| the machine running rmq-compose | mq1 (10.0.0.11), mq2 (10.0.0.12), lb1 (10.0.0.21) | 22/tcp | ssh: `docker:` is ssh://, the Docker CLI reaches the engine through it |',
      '| the machine running rmq-compose | mq3 (10.0.0.13) | 2222/tcp | ssh: `docker:` is ssh://, the Docker CLI reaches the engine through it |',
      '| the machine running rmq-compose | lb2 (10.0.0.22) | what docker context `lb2-context` connects to | the Docker engine |',
    ]);
    expect(table).toContain("on its own machine's address only (e.g. `10.0.0.11:5672`)");
  });

  test('other ports and endpoints: node ports as the spec sets them, tcp://, no VIP (clients go to the LB machines)', () => {
    const text = remoteText
      .replace('docker: lb2-context', 'docker: "tcp://10.0.0.22:2376"')
      .replace('  keepalived: { virtualIp: 10.0.0.100/24, interface: eth0, virtualRouterId: 52 }\n', '')
      .replace('nodes: [rabbit1, rabbit2, { name: rabbit3, type: ram }]', 'nodes: [{ name: rabbit1, ports: { amqp: 5700 } }, rabbit2, rabbit3]');
    const table = section(render(text).get('README.md')!);
    expect(table).toContain(`| ${lbs} | ${brokers} | 5700, 5672/tcp | amqp: nginx forwards client connections to the nodes |`);
    expect(table).toContain(`| clients | ${lbs} | 5672/tcp | amqp through nginx |`);
    expect(table).toContain('| the machine running rmq-compose | lb2 (10.0.0.22) | 2376/tcp | the Docker API (`docker:` is tcp://) |');
    expect(table).not.toContain('VRRP');
  });

  test('prod (no docker:): no engine rows; one machine: no such section', () => {
    const table = section(render(readFileSync(specPath('prod'), 'utf8'), 'prod.yaml').get('README.md')!);
    expect(table).toContain('| mq1 (192.168.1.17), mq2 (192.168.1.18), mq3 (192.168.1.19) | each other | 25672/tcp |');
    expect(table).not.toMatch(/ssh|docker context|Docker API/);
    expect(render(readFileSync(specPath('seed'), 'utf8'), 'seed.yaml').get('README.md')).not.toContain('Ports to open');
  });
});
