/**
 * Specs for the e2e scenarios: the test images, a subnet and host ports of the scenario's own
 * (172.30.<n>.0/24, ports from `portBase`, all in 21000-29999 so nothing collides with another
 * suite or with a RabbitMQ on the machine's standard ports).
 */
export interface ScenarioOptions {
  name: string;
  image: string;
  version: string;
  /** Node count (all disc), or explicit node entries without ports. */
  nodes: number | Array<{ name: string; type: 'disc' | 'ram' }>;
  subnet: number;
  portBase: number;
  formation?: 'auto' | 'manual';
  plugins?: string[];
  /** Listener protocol → host port; undefined disables the load balancer. */
  listeners?: Array<{ protocol: 'amqp' | 'mqtt'; port: number }>;
  /** Two keepalived instances holding <subnet>.100 when set. */
  keepalived?: { virtualRouterId: number };
  policies?: object[];
  /** nginx proxy_connect_timeout: a killed node's address answers nothing, so keep retries quick. */
  connectTimeout?: string;
  /** resources.memory of every node (a container limit and an absolute memory alarm). */
  memory?: string;
}

export const subnetOf = (n: number) => `172.30.${n}`;

export function scenarioSpec(o: ScenarioOptions): Record<string, unknown> {
  const entries = typeof o.nodes === 'number' ? Array.from({ length: o.nodes }, (_, i) => ({ name: `rabbit${i + 1}`, type: 'disc' as const })) : o.nodes;
  return {
    name: o.name,
    rabbitmq: {
      image: o.image,
      version: o.version,
      plugins: o.plugins ?? ['rabbitmq_management'],
      formation: o.formation ?? 'auto',
    },
    nodes: entries.map((n, i) => ({ ...n, ports: { amqp: o.portBase + 10 + i * 2, management: o.portBase + 11 + i * 2 } })),
    loadBalancer: o.listeners
      ? {
          image: o.image,
          listeners: o.listeners,
          connectTimeout: o.connectTimeout ?? '60s',
          ...(o.keepalived
            ? { keepalived: { virtualIp: `${subnetOf(o.subnet)}.100/24`, virtualRouterId: o.keepalived.virtualRouterId, instances: 2, image: o.image } }
            : {}),
        }
      : { enabled: false },
    policies: o.policies ?? [],
    ...(o.memory ? { resources: { memory: o.memory } } : {}),
    network: { subnet: `${subnetOf(o.subnet)}.0/24` },
    // this machine's dockerd caps nofile near 20000: keep the daemon's default
    limits: { nofile: 0 },
  };
}

/** The seed's nodes: one disc node that the RAM nodes join (manual formation). */
export const SEED_NODES: ScenarioOptions['nodes'] = [
  { name: 'rabbit1', type: 'disc' },
  { name: 'rabbit2', type: 'ram' },
  { name: 'rabbit3', type: 'ram' },
];

/** The seed's mirroring policy (3.x only). */
export const HA_ALL = { name: 'ha-all', pattern: '^', applyTo: 'queues', definition: { 'ha-mode': 'all', 'ha-sync-mode': 'automatic' } } as const;
