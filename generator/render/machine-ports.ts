import { DOCKER_HOST_URL } from '../../contract/names.js';
import { EPMD_PORT, ERLANG_DISTRIBUTION_PORT, RABBITMQ_METRICS_PORT } from '../../contract/ports.js';
import type { ClusterModel, HostModel } from '../spec/model.js';

/** One line of the generated README's "Ports to open between machines" table. */
export interface MachinePortRow {
  from: string;
  to: string;
  port: string;
  why: string;
}

/**
 * What a firewall between the machines of a `hosts:` layout must let through, from the model:
 * the real addresses and ports, so the table cannot drift from the compose files. Empty on one
 * machine (everything stays on its Docker network).
 */
export function machinePorts(model: ClusterModel): MachinePortRow[] {
  if (!model.multiHost) return [];
  const lb = model.loadBalancer;
  const label = (h: HostModel) => `${h.name} (${h.address})`;
  const list = (hosts: readonly HostModel[]) => hosts.map(label).join(', ');
  const brokers = model.hosts.filter((h) => h.nodes.length > 0);
  const lbHosts = model.hosts.filter((h) => lb?.instances.some((i) => i.host === h.name));
  const rows: MachinePortRow[] = [];

  if (brokers.length > 1) {
    rows.push(
      { from: list(brokers), to: 'each other', port: `${EPMD_PORT}/tcp`, why: 'epmd: a node asks a peer’s machine which port its node listens on' },
      {
        from: list(brokers),
        to: 'each other',
        port: `${ERLANG_DISTRIBUTION_PORT}/tcp`,
        why: 'Erlang distribution: clustering, queue replication, rabbitmqctl between nodes',
      },
    );
  }
  if (lb && lbHosts.length > 0) {
    for (const listener of lb.listeners) {
      const ports = [...new Set(model.nodes.map((n) => n.ports[listener.protocol] ?? listener.backendPort))];
      rows.push({
        from: list(lbHosts),
        to: list(brokers),
        port: `${ports.join(', ')}/tcp`,
        why: `${listener.protocol}: nginx forwards client connections to the nodes`,
      });
    }
    const k = lb.keepalived;
    if (k && lbHosts.length > 1) {
      rows.push({
        from: list(lbHosts),
        to: 'each other',
        port: 'IP protocol 112 (VRRP)',
        why: `keepalived adverts, unicast between these addresses: who holds the virtual IP ${k.virtualIp.split('/')[0]}`,
      });
    }
    const entry = k ? `${k.virtualIp.split('/')[0]} (virtual IP)` : list(lbHosts);
    for (const listener of lb.listeners) rows.push({ from: 'clients', to: entry, port: `${listener.port}/tcp`, why: `${listener.protocol} through nginx` });
  }
  const management = [...new Set(model.nodes.flatMap((n) => (n.ports.management === undefined ? [] : [n.ports.management])))];
  if (management.length > 0) {
    rows.push({
      from: 'the machine running rmq-compose',
      to: list(brokers),
      port: `${management.join(', ')}/tcp`,
      why: 'management API: `rmq-compose status` reads it (without it, status asks rabbitmqctl through Docker)',
    });
  }
  rows.push(...monitoringRows(model, brokers, label, list));
  rows.push(
    ...engineRows(
      model.hosts.filter((h) => h.nodes.length > 0 || h.loadBalancer || h.name === model.monitoring?.host),
      label,
    ),
  );
  return rows;
}

/** Prometheus scrapes every node at its machine's address; people and ops read Prometheus. */
function monitoringRows(
  model: ClusterModel,
  brokers: readonly HostModel[],
  label: (h: HostModel) => string,
  list: (hosts: readonly HostModel[]) => string,
): MachinePortRow[] {
  const m = model.monitoring;
  const host = model.hosts.find((h) => h.name === m?.host);
  if (!m || !host) return [];
  return [
    { from: label(host), to: list(brokers), port: `${RABBITMQ_METRICS_PORT}/tcp`, why: 'Prometheus scrapes each node’s metrics (rabbitmq_prometheus)' },
    {
      from: 'the machine running rmq-compose, your browser',
      to: label(host),
      port: `${m.port}/tcp`,
      why: 'Prometheus web UI and HTTP API (no login: keep it off public networks)',
    },
  ];
}

/** How the machine running rmq-compose reaches each engine: one row per port (ssh, Docker API), one per context. */
function engineRows(hosts: readonly HostModel[], label: (h: HostModel) => string): MachinePortRow[] {
  const byPort = new Map<string, { hosts: HostModel[]; why: string }>();
  const rows: MachinePortRow[] = [];
  for (const host of hosts) {
    const docker = host.docker;
    if (docker === undefined || docker.startsWith('unix://')) continue;
    if (!DOCKER_HOST_URL.test(docker)) {
      rows.push({ from: 'the machine running rmq-compose', to: label(host), port: `what docker context \`${docker}\` connects to`, why: 'the Docker engine' });
      continue;
    }
    const ssh = docker.startsWith('ssh://');
    const port = docker.match(/:(\d+)$/)?.[1] ?? (ssh ? '22' : undefined);
    const key = `${port}/tcp ${ssh ? 'ssh' : 'tcp'}`;
    const why = ssh ? 'ssh: `docker:` is ssh://, the Docker CLI reaches the engine through it' : 'the Docker API (`docker:` is tcp://)';
    const entry = byPort.get(key) ?? { hosts: [], why };
    entry.hosts.push(host);
    byPort.set(key, entry);
  }
  const engines = [...byPort].map(([key, { hosts: to, why }]) => ({
    from: 'the machine running rmq-compose',
    to: to.map(label).join(', '),
    port: key.split(' ')[0]!,
    why,
  }));
  return [...engines, ...rows];
}
