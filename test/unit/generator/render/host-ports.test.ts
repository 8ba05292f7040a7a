import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { planCluster } from '../../../../generator/plan.js';
import { hostPorts, type HostPort } from '../../../../generator/render/host-ports.js';
import { loadSpec } from '../../../../generator/spec/load-spec.js';
import { portClashes } from '../../../../generator/spec/rules/ports.js';
import { formatFinding } from '../../../../lib/findings.js';
import { fakeTlsMaterial } from '../../../helpers/fake-tls.js';
import { doublyPublished, publishedPorts } from '../../../helpers/published-ports.js';
import { planSpecFile, specNames, specPath } from '../../../helpers/spec-files.js';

const TODAY = { today: '2026-12-07' };
const errorsOf = (text: string) => loadSpec(text, TODAY).errors.map(formatFinding);
const servicePorts = (text: string) => {
  const files = planCluster(text, 'spec.yaml').files;
  const compose = parse(files.find((f) => f.path === 'docker-compose.yml')!.contents) as { services: Record<string, { ports?: string[] }> };
  return { files, ports: (service: string) => compose.services[service]!.ports };
};

/** The spec of issue 23: validate said "valid", and rabbit1 and lb1-netns both published 5672. */
const Q3VIP = 'name: q3vip\nnodes: 3\nloadBalancer:\n  keepalived: { virtualIp: 172.30.6.100/24, virtualRouterId: 53 }\n';

describe('issue 23: what validates, deploys', () => {
  test('q3vip: valid, and no host port twice: the nodes step past the listeners lb1-netns publishes', () => {
    expect(errorsOf(Q3VIP)).toEqual([]);
    const { files, ports } = servicePorts(Q3VIP);
    expect(ports('lb1-netns')).toEqual(['5672:5672', '15672:15672']);
    expect(ports('lb2-netns')).toBeUndefined();
    expect(ports('rabbit1')).toEqual(['127.0.0.1:5673:5672', '127.0.0.1:15673:15672']);
    expect(ports('rabbit3')).toEqual(['127.0.0.1:5675:5672', '127.0.0.1:15675:15672']);
    expect(doublyPublished(publishedPorts(files))).toEqual([]);
  });

  test('q3vip with rabbit1 pinned to 5672: refused, the node port and the listener named', () => {
    const pinned = Q3VIP.replace('nodes: 3', 'nodes: [{ name: rabbit1, ports: { amqp: 5672 } }, rabbit2, rabbit3]');
    expect(errorsOf(pinned)).toEqual([
      "nodes[0].ports.amqp: port 5672 (rabbit1 amqp on 127.0.0.1) is also loadBalancer.listeners (the load balancer's default amqp listener on every interface) on this machine; pick another port for one of them",
    ]);
    const listed = pinned.replace('loadBalancer:\n', 'loadBalancer:\n  listeners: [{ protocol: amqp, port: 5672 }]\n');
    expect(errorsOf(listed)).toEqual([
      "nodes[0].ports.amqp: port 5672 (rabbit1 amqp on 127.0.0.1) is also loadBalancer.listeners[0].port (the load balancer's amqp listener on every interface) on this machine; pick another port for one of them",
    ]);
  });

  test('two listeners on one port (TLS): refused before nginx -t says "duplicate address and port pair", once across machines', () => {
    const listeners = '  listeners: [{ protocol: amqps, port: 5672 }, { protocol: amqp, port: 5672 }]\n';
    const one = `name: dup\nnodes: 3\ntls: {}\nloadBalancer:\n${listeners}`;
    expect(errorsOf(one)).toEqual([
      "loadBalancer.listeners[1].port: port 5672 (the load balancer's amqp listener on every interface) is also loadBalancer.listeners[0].port (the load balancer's amqps listener on every interface) on this machine; pick another port for one of them",
    ]);
    const hosts =
      'hosts:\n  - { name: mq1, address: 10.0.0.11, nodes: [rabbit1] }\n  - { name: lb1, address: 10.0.0.21, loadBalancer: true }\n  - { name: lb2, address: 10.0.0.22, loadBalancer: true }\n';
    const across = `name: dup\nnodes: 1\ntls: {}\n${hosts}loadBalancer:\n${listeners}  keepalived: { virtualIp: 10.0.0.100/24, virtualRouterId: 52 }\n`;
    expect(errorsOf(across)).toEqual([
      expect.stringMatching(/^loadBalancer\.listeners\[1\]\.port: port 5672 .* is also loadBalancer\.listeners\[0\]\.port .* on host "lb1"; /),
    ]);
  });

  test('Prometheus on 127.0.0.1 against a node port open on every interface', () => {
    const open = 'name: open\nnodes: [{ name: rabbit1, ports: { management: 9090 } }]\nnetwork: { openNodePorts: true }\nmonitoring: { prometheus: true }\n';
    expect(errorsOf(open)).toEqual([
      'nodes[0].ports.management: port 9090 (rabbit1 management on every interface) is also monitoring.port (Prometheus on 127.0.0.1) on this machine; pick another port for one of them',
    ]);
  });
});

describe('addresses: 0.0.0.0 overlaps any address, two specific ones do not', () => {
  const use = (address: string | undefined, kind: HostPort['kind'] = 'node', host = 'local'): HostPort => ({
    host,
    service: `s-${address}`,
    address,
    port: 5672,
    containerPort: 5672,
    path: `p-${address ?? 'all'}`,
    what: 'w',
    kind,
  });

  test.each([
    ['every interface and 127.0.0.1', use(undefined, 'listener'), use('127.0.0.1'), 1],
    ['127.0.0.1 twice', use('127.0.0.1', 'prometheus'), use('127.0.0.1'), 1],
    ['127.0.0.1 and 10.0.0.11', use('10.0.0.11'), use('127.0.0.1'), 0],
    ['every interface, on two machines', use(undefined, 'listener', 'a'), use(undefined, 'node', 'b'), 0],
    ['two ports nobody can move (left to hostsAreValid)', use('10.0.0.11', 'fixed'), use('10.0.0.11', 'fixed'), 0],
  ])('%s', (_what, a, b, clashes) => {
    expect(portClashes([a, b])).toHaveLength(clashes);
  });

  test('the side reported is the easier one to move: a node port before Prometheus before a listener', () => {
    const clashes = portClashes([use('127.0.0.1'), use('127.0.0.1', 'prometheus'), use(undefined, 'listener')]);
    expect(clashes.map((c) => `${c.use.kind} is also ${c.other.kind}`)).toEqual(['prometheus is also listener', 'node is also listener']);
  });
});

describe('default node ports step past whatever else the machine publishes', () => {
  test('one machine with keepalived: past a listener the spec moved onto 5673', () => {
    const text = `${Q3VIP}  listeners: [{ protocol: amqp, port: 5673 }, { protocol: management, port: 15672 }]\n`;
    const model = loadSpec(text, TODAY).model!;
    expect(model.nodes.map((n) => n.ports)).toEqual([
      { amqp: 5672, management: 15673 },
      { amqp: 5674, management: 15674 },
      { amqp: 5675, management: 15675 },
    ]);
  });

  test('hosts: a node beside its load balancer moves off the listener port, and nginx forwards to where it went', () => {
    const text = [
      'name: beside',
      'nodes: 2',
      'hosts:',
      '  - { name: mq1, address: 10.0.0.11, nodes: [rabbit1], loadBalancer: true }',
      '  - { name: mq2, address: 10.0.0.12, nodes: [rabbit2] }',
      'loadBalancer:',
      '  keepalived: { virtualIp: 10.0.0.100/24, virtualRouterId: 52 }',
      '',
    ].join('\n');
    const { model, errors } = loadSpec(text, TODAY);
    expect(errors).toEqual([]);
    expect(model!.nodes.map((n) => n.ports)).toEqual([
      { amqp: 5673, management: 15673 },
      { amqp: 5672, management: 15672 },
    ]);
    const files = planCluster(text, 'beside.yaml').files;
    expect(files.find((f) => f.path === 'hosts/mq1/nginx/nginx.conf')!.contents).toContain('server 10.0.0.11:5673 ');
    expect(doublyPublished(publishedPorts(files))).toEqual([]);
  });

  test('a spec whose node ports did not clash keeps them (the seed, blue-green)', () => {
    const seed = loadSpec(readFileSync(specPath('seed'), 'utf8'), TODAY).model!;
    expect(seed.nodes.map((n) => n.ports.amqp)).toEqual([5672, 5673, 5674]);
    const partly =
      'name: partly\nnodes: [{ name: rabbit1, ports: { amqp: 5672 } }, rabbit2]\nloadBalancer:\n  listeners: [{ protocol: amqp, port: 5670 }]\n  keepalived: { virtualIp: 192.168.7.100/24, virtualRouterId: 51 }\n';
    expect(loadSpec(partly, TODAY).model!.nodes[1]!.ports).toEqual({ amqp: 5673, management: 15673 });
  });
});

describe('one source of truth: the compose files publish exactly the list the rule checks', () => {
  test.each(specNames())('%s', (name) => {
    const plan = planSpecFile(specPath(name), `${name}.yaml`);
    const folder = (host: string) => (plan.model.multiHost ? `hosts/${host}/` : '');
    const fromModel = hostPorts(plan.model).map((p) => ({ folder: folder(p.host), service: p.service, address: p.address, port: p.port }));
    const fromFiles = publishedPorts(plan.files);
    const order = (a: { folder: string; service: string; port: number }, b: typeof a) =>
      `${a.folder}${a.service}`.localeCompare(`${b.folder}${b.service}`) || a.port - b.port;
    expect(fromFiles.sort(order)).toEqual(fromModel.sort(order));
    expect(doublyPublished(fromFiles)).toEqual([]);
  });

  test('a TLS spec renders in memory with stand-in certificates', () => {
    const text = 'name: t\nnodes: 3\ntls: { clients: terminate }\nloadBalancer:\n  keepalived: { virtualIp: 172.30.6.100/24, virtualRouterId: 53 }\n';
    const files = planCluster(text, 't.yaml', { tls: fakeTlsMaterial(['rabbit1', 'rabbit2', 'rabbit3'], true) }).files;
    expect(doublyPublished(publishedPorts(files))).toEqual([]);
  });
});
