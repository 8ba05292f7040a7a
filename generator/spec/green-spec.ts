import { parse, stringify } from 'yaml';
import { SpecError } from '../../lib/errors.js';
import { formatFinding } from '../../lib/findings.js';
import { loadSpec } from './load-spec.js';

/**
 * The spec of the green cluster in a blue-green migration (`rmq-compose migrate`): the blue spec
 * with the new image, on the same engine beside blue. What has to differ so both run at once:
 * the name and so the folder and Compose project (`<name>-green`), the cluster network (its own
 * subnet; a VIP on blue's subnet moves along), and the node ports blue publishes (shifted by
 * `portOffset`), and the node names (greenNodeName). What 4.x does not have goes: RAM nodes become disc nodes, formation is peer
 * discovery, and `ha-*` keys leave the policies (classic mirroring is gone in 4.0). The shovel
 * plugin is added: it moves the messages. The load balancer keeps its listener ports: green's
 * takes over from blue's at the switch, so clients keep their address and port. Prometheus, when
 * the spec has it, gets its own port (shifted too) and watches green.
 */
export interface GreenSpecOptions {
  image: string;
  version: string | undefined;
  /** a.b.c.0/24 for green's network. */
  subnet: string;
  portOffset: number;
}

const HA_KEYS = /^(ha-|queue-master-locator$|queue-mode$)/;
type Obj = Record<string, unknown>;

export function greenSpec(blueText: string, blueName: string, o: GreenSpecOptions): string {
  const blue = loadSpec(blueText);
  if (!blue.model || blue.errors.length > 0) throw new SpecError(blue.errors.map(formatFinding), blueName);
  const model = blue.model;
  if (model.multiHost)
    throw new SpecError(['hosts: migrate runs blue and green side by side on one Docker engine; a multi-host cluster is not supported yet'], blueName);
  const spec = parse(blueText) as Obj;
  const name = `${model.name}-green`;
  const rabbitmq = { ...((spec.rabbitmq as Obj | undefined) ?? {}) };
  rabbitmq.image = o.image;
  if (o.version) rabbitmq.version = o.version;
  else delete rabbitmq.version;
  rabbitmq.formation = 'auto';
  // clients keep declaring their queues as they always did: without x-queue-type (or as classic)
  rabbitmq.defaultQueueType = 'quorum';
  const added = [...model.rabbitmq.addedPlugins, ...model.rabbitmq.monitoringPlugins];
  rabbitmq.plugins = [...new Set([...model.rabbitmq.plugins.filter((p) => !added.includes(p)), 'rabbitmq_shovel'])];
  delete rabbitmq.partitionHandling;

  const nodes = model.nodes.map((n) => ({
    name: greenNodeName(n.name),
    type: 'disc',
    ports: Object.fromEntries(Object.entries(n.ports).map(([k, p]) => [k, shifted(p!, o.portOffset, `nodes[${n.index}].ports.${k}`, blueName)])),
  }));

  const green: Obj = { ...spec, name, rabbitmq, nodes, network: { ...((spec.network as Obj | undefined) ?? {}), subnet: o.subnet } };
  if (spec.project !== undefined) green.project = `${String(spec.project).slice(0, 57)}-green`;
  // green's Prometheus runs beside blue's until retire: its host port moves like the node ports
  if (model.monitoring) green.monitoring = { ...(spec.monitoring as Obj), port: shifted(model.monitoring.port, o.portOffset, 'monitoring.port', blueName) };
  const keepalived = (spec.loadBalancer as Obj | undefined)?.keepalived as Obj | undefined;
  if (keepalived?.virtualIp && typeof keepalived.virtualIp === 'string' && model.network.subnet) {
    green.loadBalancer = {
      ...(spec.loadBalancer as Obj),
      keepalived: { ...keepalived, virtualIp: moveIntoSubnet(keepalived.virtualIp, model.network.subnet, o.subnet) },
    };
  }
  green.policies = ((spec.policies as Obj[] | undefined) ?? [])
    .map((p) => ({ ...p, definition: Object.fromEntries(Object.entries((p.definition as Obj | undefined) ?? {}).filter(([k]) => !HA_KEYS.test(k))) }))
    .filter((p) => Object.keys(p.definition).length > 0);

  const text = `# The green cluster of a blue-green migration from ${model.name} (${model.rabbitmq.image}), written by rmq-compose migrate.\n# After \`rmq-compose migrate retire\` it is the cluster: keep this file as its spec.\n${stringify(green, { lineWidth: 0 })}`;
  const check = loadSpec(text);
  if (!check.model || check.errors.length > 0) throw new SpecError(check.errors.map(formatFinding), `${name} (the green spec derived from ${blueName})`);
  return text;
}

/**
 * Green's node names are not blue's: rabbit1 → rabbit1-green (and back, rabbit1-green → rabbit1,
 * for the migration after). While migrate's link network joins both clusters' nodes, Docker
 * makes every container's hostname an alias there (moby #39204), so with the same names green's
 * rabbit1 asked for rabbit@rabbit3 and was answered by blue's rabbit3: list_queues called queues
 * unresponsive on both clusters, and cluster_status on green listed a 3.10 node. Distinct names
 * never resolve across; the node is a new one anyway, and clients see only the load balancer.
 */
export function greenNodeName(name: string): string {
  return name.endsWith('-green') ? name.slice(0, -'-green'.length) : `${name}-green`;
}

function shifted(port: number, offset: number, path: string, specName: string): number {
  const p = port + offset;
  if (p < 1 || p > 65535) throw new SpecError([`${path}: ${port} + ${offset} is not a port; pick another --port-offset`], specName);
  return p;
}

/** 192.168.1.100/24 on 192.168.1.0/24 → 192.168.2.100/24 on 192.168.2.0/24 (same host part). */
function moveIntoSubnet(vip: string, from: string, to: string): string {
  const [address, prefix] = vip.split('/');
  const fromNet = from.split('/')[0]!.split('.');
  const toNet = to.split('/')[0]!.split('.');
  const parts = address!.split('.');
  if (parts.slice(0, 3).join('.') !== fromNet.slice(0, 3).join('.')) return vip;
  return `${[...toNet.slice(0, 3), parts[3]].join('.')}/${prefix ?? '24'}`;
}
