import { loadSpec } from '../../../../generator/spec/load-spec.js';
import { formatFinding } from '../../../../lib/findings.js';
import { specText } from '../../../helpers/spec-text.js';

/** The monitoring section: where Prometheus can run, and the port rules it joins. */
const DAY = { today: '2024-06-01' };
const load = (patch: Record<string, unknown>) => loadSpec(specText(patch), DAY);
const errorsOf = (patch: Record<string, unknown>) => load(patch).errors.map(formatFinding);
const warningsOf = (patch: Record<string, unknown>) => load(patch).warnings.map(formatFinding);

const ON = { monitoring: { prometheus: true } };
const brokers = [
  { name: 'mq1', address: '10.0.0.11', nodes: ['rabbit1'] },
  { name: 'mq2', address: '10.0.0.12', nodes: ['rabbit2'] },
  { name: 'mq3', address: '10.0.0.13', nodes: ['rabbit3'] },
];
const lb = (name: string, address: string) => ({ name, address, loadBalancer: true });

describe('monitoring: the spec section', () => {
  test('defaults: the Prometheus 3 LTS image, port 9090, 15s, 15 days; off without prometheus: true', () => {
    const m = load(ON).model!.monitoring!;
    expect({ image: m.image, port: m.port, scrapeInterval: m.scrapeInterval, retention: m.retention }).toEqual({
      image: 'prom/prometheus:v3.5.0',
      port: 9090,
      scrapeInterval: '15s',
      retention: '15d',
    });
    expect(load({ monitoring: {} }).model!.monitoring).toBeUndefined();
    expect(load({}).model!.monitoring).toBeUndefined();
  });

  test('strict like every section: a typo is an error', () => {
    expect(errorsOf({ monitoring: { prometheus: true, scrape_interval: '5s' } }).join('\n')).toMatch(/^monitoring.*scrape_interval/);
    expect(errorsOf({ monitoring: { prometheus: true, retention: '15 days' } })).toEqual([
      'monitoring.retention: "15 days" is not a retention time; write a number with a unit: 15d, 12h, 2w, 1y',
    ]);
  });

  test('rabbitmq_prometheus is added to every node once, whether the spec lists it or not', () => {
    const added = load(ON).model!.rabbitmq;
    expect(added.plugins).toEqual(['rabbitmq_management', 'rabbitmq_prometheus']);
    expect(added.monitoringPlugins).toEqual(['rabbitmq_prometheus']);
    const listed = load({ ...ON, rabbitmq: { image: 'rabbitmq:3.13-management', plugins: ['rabbitmq_prometheus', 'rabbitmq_management'] } }).model!.rabbitmq;
    expect(listed.plugins).toEqual(['rabbitmq_prometheus', 'rabbitmq_management']);
    expect(listed.monitoringPlugins).toEqual([]);
    expect(load({}).model!.rabbitmq.plugins).toEqual(['rabbitmq_management']);
  });

  test('scrape interval between 1s and 1m (the rules rate over 5 minutes)', () => {
    expect(errorsOf({ monitoring: { prometheus: true, scrapeInterval: '500ms' } })).toEqual([
      'monitoring.scrapeInterval: 500ms is outside 1s–1m: the alert rules look at 5-minute windows, which need several samples each; 15s (the default) suits production',
    ]);
    expect(errorsOf({ monitoring: { prometheus: true, scrapeInterval: '2m' } })).toHaveLength(1);
    expect(errorsOf({ monitoring: { prometheus: true, scrapeInterval: '2s' } })).toEqual([]);
  });

  test('no plugin before RabbitMQ 3.8', () => {
    expect(errorsOf({ ...ON, rabbitmq: { image: 'rabbitmq:3.7-management' } })).toContain(
      'monitoring.prometheus: the rabbitmq_prometheus plugin came with RabbitMQ 3.8.0 and rabbitmq:3.7-management is 3.7; use a 3.8 or later image to monitor it with Prometheus',
    );
  });

  test('3.8 and 3.9 lack some of the metrics: a warning', () => {
    expect(warningsOf({ ...ON, rabbitmq: { image: 'rabbitmq:3.9-management' } })).toContain(
      'monitoring.prometheus: RabbitMQ 3.9 lacks metrics some rules read (the alarm gauges before 3.8.25 and 3.9.4, the unroutable counters on 3.8, per-queue metrics before 3.9.7): those rules stay silent there; 3.10 or later has them all',
    );
    expect(warningsOf({ ...ON, rabbitmq: { image: 'rabbitmq:3.10.8-management' } }).join('\n')).not.toMatch(/^monitoring/m);
  });

  test('a node named prometheus would take the service name of Prometheus', () => {
    expect(errorsOf({ ...ON, nodes: ['rabbit1', 'prometheus', 'rabbit3'] })).toEqual([
      'nodes[1].name: "prometheus" is the name of the Prometheus service on this machine; rename the node',
    ]);
  });
});

describe('monitoring: where Prometheus runs', () => {
  test('one machine: on the cluster network at the subnet’s last host address, published on 127.0.0.1', () => {
    const m = load({ ...ON, network: { subnet: '172.28.5.0/24' } }).model!.monitoring!;
    expect({ host: m.host, placement: m.placement, address: m.address, publishAddress: m.publishAddress }).toEqual({
      host: 'local',
      placement: 'single-host',
      address: '172.28.5.254',
      publishAddress: '127.0.0.1',
    });
  });

  test('one machine: a subnet too small for the nodes and Prometheus', () => {
    const nodes = Array.from({ length: 5 }, (_, i) => `rabbit${i + 1}`);
    expect(errorsOf({ ...ON, nodes, network: { subnet: '172.28.5.0/28' } })).toEqual([
      'network.subnet: 172.28.5.0/28 is too small for 5 nodes, the load balancers and Prometheus (at 172.28.5.14); use a /24 or larger',
    ]);
    expect(errorsOf({ nodes, network: { subnet: '172.28.5.0/28' } })).toEqual([]);
  });

  test('one machine: a VIP on Prometheus’ address is refused like one on a node’s', () => {
    const spec = { ...ON, network: { subnet: '172.28.5.0/24' }, loadBalancer: { keepalived: { virtualIp: '172.28.5.254/24', virtualRouterId: 51 } } };
    expect(errorsOf(spec)).toEqual([
      'loadBalancer.keepalived.virtualIp: 172.28.5.254/24 is the fixed address of Prometheus; pick another address in 172.28.5.0/24 (the generator uses .2–.9 for load balancers and .10 upward for nodes)',
    ]);
  });

  test('hosts: the host marked monitoring: true, else the first load-balancer host', () => {
    const marked = load({ ...ON, hosts: [...brokers, lb('lb1', '10.0.0.21'), { name: 'mon1', address: '10.0.0.31', monitoring: true }] });
    expect(marked.errors).toEqual([]);
    expect(marked.warnings.map(formatFinding).join('\n')).not.toMatch(/mon1.*nothing is generated/);
    expect(marked.model!.monitoring).toMatchObject({ host: 'mon1', placement: 'marked', publishAddress: '10.0.0.31', address: undefined });
    const onLb = load({ ...ON, hosts: [...brokers, lb('lb1', '10.0.0.21'), lb('lb2', '10.0.0.22')] }).model!.monitoring!;
    expect(onLb).toMatchObject({ host: 'lb1', placement: 'first-load-balancer', publishAddress: '10.0.0.21' });
    const onBroker = load({ ...ON, hosts: [brokers[0], { ...brokers[1], monitoring: true }, brokers[2], lb('lb1', '10.0.0.21')] }).model!.monitoring!;
    expect(onBroker).toMatchObject({ host: 'mq2', placement: 'marked' });
  });

  test('hosts: no place to run it (no load balancer, no host marked) is an error', () => {
    expect(errorsOf({ ...ON, hosts: brokers, loadBalancer: { enabled: false } })).toEqual([
      'monitoring.prometheus: no host to run Prometheus on: it runs on the host marked monitoring: true, else on the first load-balancer host, and this spec has neither; add monitoring: true to one entry under hosts: (a machine of its own, or one that runs a node)',
    ]);
  });

  test('hosts: two hosts marked is an error; a mark without monitoring.prometheus a warning', () => {
    const two = [brokers[0], brokers[1], brokers[2], { ...lb('lb1', '10.0.0.21'), monitoring: true }, { name: 'mon1', address: '10.0.0.31', monitoring: true }];
    expect(errorsOf({ ...ON, hosts: two })).toEqual([
      'hosts[4].monitoring: Prometheus runs on one host, and "lb1" (hosts[3]) already has monitoring: true; remove it here',
    ]);
    expect(warningsOf({ hosts: [...brokers, { ...lb('lb1', '10.0.0.21'), monitoring: true }] })).toContain(
      'hosts[3].monitoring: does nothing without monitoring: { prometheus: true } at the top of the spec',
    );
  });
});

describe('monitoring: ports, caught by the existing port rules', () => {
  test('one machine: Prometheus’ port against a node port and a listener', () => {
    expect(errorsOf({ monitoring: { prometheus: true, port: 15672 } })).toEqual([
      "monitoring.port: port 15672 (Prometheus on 127.0.0.1) is also loadBalancer.listeners (the load balancer's default management listener on every interface) on this machine; pick another port for one of them",
    ]);
    expect(errorsOf({ ...ON, nodes: [{ name: 'rabbit1', ports: { management: 9090 } }, 'rabbit2', 'rabbit3'] })).toEqual([
      'nodes[0].ports.management: port 9090 (rabbit1 management on 127.0.0.1) is also monitoring.port (Prometheus on 127.0.0.1) on this machine; pick another port for one of them',
    ]);
  });

  test('hosts: the metrics port 15692 on every node’s machine, Prometheus’ port on its own', () => {
    const hosts = [...brokers, lb('lb1', '10.0.0.21')];
    expect(errorsOf({ ...ON, hosts, nodes: [{ name: 'rabbit1', ports: { mqtt: 15692 } }, 'rabbit2', 'rabbit3'] })).toEqual([
      'nodes[0].ports.mqtt: port 15692 (rabbit1 mqtt on 10.0.0.11) is also nodes[0] (rabbit1 metrics (rabbitmq_prometheus) on 10.0.0.11) on host "mq1"; pick another port for nodes[0].ports.mqtt',
    ]);
    expect(errorsOf({ monitoring: { prometheus: true, port: 5672 }, hosts })).toEqual([
      'monitoring.port: port 5672 (Prometheus on 10.0.0.21) is also loadBalancer.listeners (the load balancer\'s default amqp listener on every interface) on host "lb1"; pick another port for one of them',
    ]);
    // without monitoring 15692 stays free
    expect(errorsOf({ hosts, nodes: [{ name: 'rabbit1', ports: { mqtt: 15692 } }, 'rabbit2', 'rabbit3'] })).toEqual([]);
  });
});
