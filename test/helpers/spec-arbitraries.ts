import fc from 'fast-check';
import { stringify } from 'yaml';
import { CONTAINER_PORTS, type NodePortName } from '../../contract/ports.js';

/**
 * Cluster specs for property tests (fast-check): one machine or `hosts:` with one node per
 * machine, `nodes: N` or node objects with ports, keepalived on or off, the default listeners or
 * listed ones (TLS ones with `tls:`), Prometheus or not. Ports come from a small pool around the
 * standard ones, so clashes (between nodes, listeners and Prometheus) are common, not rare.
 */
export type SpecObject = Record<string, unknown>;

const PORT_POOL = [1883, 5552, 5671, 5672, 5673, 5674, 6000, 8883, 9090, 9091, 15671, 15672, 15673, 15692, 25672, 61613];
const port = fc.constantFrom(...PORT_POOL);
/** A pool port now and then; mostly none (defaults). */
const maybePort = fc.option(port, { nil: undefined, freq: 4 });

interface TlsChoice {
  clients: 'passthrough' | 'terminate';
  disableNonTls: boolean;
  management: boolean;
}

const tlsChoice: fc.Arbitrary<TlsChoice | undefined> = fc.option(
  fc.record({ clients: fc.constantFrom('passthrough' as const, 'terminate' as const), disableNonTls: fc.boolean(), management: fc.boolean() }),
  { nil: undefined, freq: 2 },
);

/** The protocols a listener may have with this TLS choice (the others are refused by other rules, not tested here). */
function protocolsFor(tls: TlsChoice | undefined): NodePortName[] {
  const secure: NodePortName[] = ['amqps', 'mqtts', ...(tls?.management ? (['https'] as const) : [])];
  if (!tls) return ['amqp', 'management', 'mqtt', 'stomp', 'stream'];
  return tls.disableNonTls ? secure : [...secure, 'amqp', 'management', 'mqtt'];
}

/** Undefined (the defaults) or one listener per protocol, each on its standard port or a pool port. */
function listeners(tls: TlsChoice | undefined): fc.Arbitrary<Array<{ protocol: NodePortName; port: number }> | undefined> {
  const listener = fc.constantFrom(...protocolsFor(tls)).chain((protocol) =>
    fc.record({
      protocol: fc.constant(protocol),
      port: fc.oneof({ weight: 2, arbitrary: fc.constant(CONTAINER_PORTS[protocol]) }, { weight: 1, arbitrary: port }),
    }),
  );
  return fc.option(fc.uniqueArray(listener, { selector: (l) => l.protocol, minLength: 1, maxLength: 4 }), { nil: undefined, freq: 2 });
}

/** Node objects whose ports are mostly left to the defaults (plain ones only unless TLS keeps them open). */
function nodeObjects(count: number, tls: TlsChoice | undefined): fc.Arbitrary<SpecObject[]> {
  const plainOpen = !tls?.disableNonTls;
  const ports = fc.record({
    amqp: plainOpen ? maybePort : fc.constant(undefined),
    management: plainOpen ? maybePort : fc.constant(undefined),
    amqps: tls ? maybePort : fc.constant(undefined),
  });
  return fc.array(ports, { minLength: count, maxLength: count }).map((all) =>
    all.map((p, i) => {
      const set = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
      return Object.keys(set).length > 0 ? { name: `rabbit${i + 1}`, ports: set } : { name: `rabbit${i + 1}` };
    }),
  );
}

function tlsSection(tls: TlsChoice | undefined): SpecObject {
  return tls ? { tls: { ...tls } } : {};
}

const monitoring = fc
  .option(fc.record({ prometheus: fc.constant(true), port: maybePort }), { nil: undefined, freq: 2 })
  .map((m) => (m ? { monitoring: clean(m) } : {}));

/** One machine: nodes: N or node objects, keepalived (1 to 3 instances: one alone has no unicast peers) or not, openNodePorts now and then. */
const singleHost: fc.Arbitrary<SpecObject> = tlsChoice.chain((tls) =>
  fc
    .record({
      count: fc.integer({ min: 1, max: 5 }),
      shorthand: fc.boolean(),
      keepalived: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      lbEnabled: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      listeners: listeners(tls),
      monitoring,
      openNodePorts: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })
    .chain((c) =>
      (c.shorthand ? fc.constant<number | SpecObject[]>(c.count) : nodeObjects(c.count, tls)).map((nodes) => ({
        name: 'prop',
        nodes,
        loadBalancer: clean({
          enabled: c.lbEnabled ? undefined : false,
          listeners: c.listeners,
          keepalived: c.keepalived === undefined ? undefined : { virtualIp: '172.30.6.100/24', virtualRouterId: 53, instances: c.keepalived },
        }),
        ...(c.openNodePorts ? { network: { openNodePorts: true } } : {}),
        ...c.monitoring,
        ...tlsSection(tls),
      })),
    ),
);

/** hosts: one node per machine; the load balancers on machines of their own or beside a node; Prometheus on its own machine, beside a node, or on the first load balancer. */
const multiHost: fc.Arbitrary<SpecObject> = tlsChoice.chain((tls) =>
  fc
    .record({
      count: fc.integer({ min: 1, max: 4 }),
      shorthand: fc.boolean(),
      lbPlacement: fc.constantFrom('own', 'beside-nodes'),
      lbCount: fc.integer({ min: 1, max: 2 }),
      keepalived: fc.boolean(),
      listeners: listeners(tls),
      monitoring,
      monitoringHost: fc.constantFrom('default', 'own', 'beside-node'),
      remote: fc.boolean(),
    })
    .chain((c) =>
      (c.shorthand ? fc.constant<number | SpecObject[]>(c.count) : nodeObjects(c.count, tls)).map((nodes) => {
        const docker = (address: string) => (c.remote ? { docker: `ssh://root@${address}` } : {});
        // keepalived needs a peer (see singleHost), so two load balancers, beside nodes only when there are two
        const lbBeside = c.lbPlacement === 'beside-nodes' && (!c.keepalived || c.count >= 2);
        const lbCount = Math.min(c.keepalived ? 2 : c.lbCount, lbBeside ? c.count : 2);
        const hosts: SpecObject[] = Array.from({ length: c.count }, (_, i) => ({
          name: `mq${i + 1}`,
          address: `10.0.5.${11 + i}`,
          nodes: [`rabbit${i + 1}`],
          ...(lbBeside && i < lbCount ? { loadBalancer: true } : {}),
          ...(c.monitoringHost === 'beside-node' && i === 0 ? { monitoring: true } : {}),
          ...docker(`10.0.5.${11 + i}`),
        }));
        if (!lbBeside)
          for (let i = 0; i < lbCount; i++) hosts.push({ name: `lb${i + 1}`, address: `10.0.5.${21 + i}`, loadBalancer: true, ...docker(`10.0.5.${21 + i}`) });
        if (c.monitoringHost === 'own') hosts.push({ name: 'mon1', address: '10.0.5.31', monitoring: true, ...docker('10.0.5.31') });
        return {
          name: 'prop',
          nodes,
          hosts,
          loadBalancer: clean({ listeners: c.listeners, keepalived: c.keepalived ? { virtualIp: '10.0.5.100/24', virtualRouterId: 52 } : undefined }),
          ...c.monitoring,
          ...tlsSection(tls),
        };
      }),
    ),
);

/** Every layout, one machine a little more often (it has more ways to clash). */
export const clusterSpec: fc.Arbitrary<SpecObject> = fc.oneof({ weight: 3, arbitrary: singleHost }, { weight: 2, arbitrary: multiHost });

/** The spec as a user writes it. */
export function specYaml(spec: SpecObject): string {
  return stringify(spec);
}

function clean<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
