import { parse } from 'yaml';
import { loadSpec } from '../../../../generator/spec/load-spec.js';
import { greenNodeName, greenSpec } from '../../../../generator/spec/green-spec.js';

/** The spec `migrate` writes for green: blue's, with what must differ to run beside it on 4.x. */
const BLUE = `name: orders
rabbitmq:
  image: rabbitmq:3.13-management
  formation: manual
  plugins: [rabbitmq_management, rabbitmq_mqtt]
  partitionHandling: autoheal
nodes:
  - { name: rabbit1, type: disc, ports: { amqp: 5672, management: 15672 } }
  - { name: rabbit2, type: ram }
  - rabbit3
loadBalancer:
  listeners: [{ protocol: amqp, port: 5670 }, { protocol: mqtt, port: 1884 }]
  keepalived: { virtualIp: 192.168.7.100/24, virtualRouterId: 51 }
network: { subnet: 192.168.7.0/24 }
policies:
  - { name: ha-all, pattern: "^", applyTo: queues, definition: { ha-mode: all, ha-sync-mode: automatic } }
  - { name: ttl, pattern: "^tmp\\\\.", applyTo: queues, definition: { ha-mode: exactly, ha-params: 2, message-ttl: 60000 } }
`;

describe('greenSpec', () => {
  const text = greenSpec(BLUE, 'orders.yaml', { image: 'rabbitmq:4.3-management', version: undefined, subnet: '192.168.8.0/24', portOffset: 1000 });
  const green = parse(text) as Record<string, any>;

  test('is a spec the generator accepts, for 4.3 beside blue', () => {
    const loaded = loadSpec(text);
    expect(loaded.errors).toEqual([]);
    expect(loaded.model!.name).toBe('orders-green');
    expect(loaded.model!.project).toBe('rmq-orders-green');
    expect(loaded.model!.rabbitmq.version.text).toBe('4.3');
  });

  test('the new image, peer discovery, quorum by default, the shovel plugin; no RAM node, no partition handling', () => {
    expect(green.rabbitmq).toMatchObject({
      image: 'rabbitmq:4.3-management',
      formation: 'auto',
      defaultQueueType: 'quorum',
      plugins: ['rabbitmq_management', 'rabbitmq_mqtt', 'rabbitmq_shovel'],
    });
    expect(green.rabbitmq.partitionHandling).toBeUndefined();
    expect(green.nodes.map((n: { type: string }) => n.type)).toEqual(['disc', 'disc', 'disc']);
  });

  test('its own network, the VIP moved along, node ports shifted; the listener ports clients use unchanged', () => {
    expect(green.network.subnet).toBe('192.168.8.0/24');
    expect(green.loadBalancer.keepalived.virtualIp).toBe('192.168.8.100/24');
    expect(green.nodes[0].ports).toEqual({ amqp: 6672, management: 16672 });
    expect(green.nodes[1].ports.amqp).toBe(6673);
    expect(green.loadBalancer.listeners).toEqual([
      { protocol: 'amqp', port: 5670 },
      { protocol: 'mqtt', port: 1884 },
    ]);
  });

  test("node names not blue's (they would resolve to blue's nodes on the link network), and back again for the next migration", () => {
    expect(green.nodes.map((n: { name: string }) => n.name)).toEqual(['rabbit1-green', 'rabbit2-green', 'rabbit3-green']);
    expect(loadSpec(text).model!.nodes.map((n) => n.erlangNode)).toEqual(['rabbit@rabbit1-green', 'rabbit@rabbit2-green', 'rabbit@rabbit3-green']);
    const next = parse(
      greenSpec(text, 'orders.green.yaml', { image: 'rabbitmq:4.4-management', version: undefined, subnet: '192.168.9.0/24', portOffset: 1000 }),
    ) as {
      nodes: Array<{ name: string }>;
    };
    expect(next.nodes.map((n) => n.name)).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    expect(greenNodeName('green')).toBe('green-green');
  });

  test('ha-* keys leave the policies; a policy left empty goes', () => {
    expect(green.policies).toEqual([{ name: 'ttl', pattern: '^tmp\\.', applyTo: 'queues', definition: { 'message-ttl': 60000 } }]);
  });

  test('refusals: a port pushed past 65535, a multi-host cluster', () => {
    expect(() => greenSpec(BLUE, 'orders.yaml', { image: 'rabbitmq:4.3', version: undefined, subnet: '192.168.8.0/24', portOffset: 60000 })).toThrow(
      /is not a port; pick another --port-offset/,
    );
    const multi = `name: m\nnodes: [{ name: rabbit1 }]\nhosts: [{ name: a, address: 10.0.0.1, nodes: [rabbit1] }]\nloadBalancer: { enabled: false }\n`;
    expect(() => greenSpec(multi, 'm.yaml', { image: 'rabbitmq:4.3', version: undefined, subnet: '192.168.8.0/24', portOffset: 1 })).toThrow(
      /multi-host|problem/,
    );
  });
});
