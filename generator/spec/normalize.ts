import { createHash } from 'node:crypto';
import { Findings } from '../../lib/findings.js';
import { durationSeconds } from './duration.js';
import { formatCidr, formatIpv4, parseCidr } from './ipv4.js';
import {
  CONTAINER_PORTS,
  PROTOCOL_PLUGINS,
  type ClusterModel,
  type LbInstanceModel,
  type LoadBalancerModel,
  type NodeModel,
  type NodePortName,
  type RabbitmqModel,
} from './model.js';
import { normalizeMonitoring, pluginsForMonitoring } from './normalize-monitoring.js';
import { defaultPorts, expandHosts, expandNodes, nodeMemory, placeNodes, settleDefaultPorts } from './normalize-nodes.js';
import type { ParsedSpec } from './schema.js';
import { parseSecretValue, type SecretNeed } from './secret-ref.js';
import { defaultListeners, normalizeTls, tlsPorts } from './normalize-tls.js';
import { hasMnesia, LATEST_KNOWN, parseVersion, versionFromImage } from './version.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Fixed addresses on the cluster network: LB instances from .2, nodes from .10 (offsets from the network). */
const LB_ADDRESS_OFFSET = 2;
const NODE_ADDRESS_OFFSET = 10;

/** Fills in defaults and derived values; structural problems found on the way go to `findings`. */
export function normalize(spec: ParsedSpec, findings: Findings): ClusterModel {
  const multiHost = spec.hosts !== undefined;
  const expanded = expandNodes(spec);
  const nodeNames = expanded.map((n) => n.name);
  const hosts = expandHosts(spec, nodeNames);
  const placement = multiHost ? placeNodes(hosts, nodeNames, findings) : new Map<string, string>();
  const listeners = spec.loadBalancer.enabled ? (spec.loadBalancer.listeners ?? defaultListeners(spec)) : [];
  const listenerProtocols = listeners.map((l) => l.protocol).filter((p): p is NodePortName => p in CONTAINER_PORTS);

  const subnet = chooseSubnet(spec, multiHost);
  const subnetCidr = subnet.value ? parseCidr(subnet.value) : undefined;
  const hostIndex = new Map<string, number>();
  const wantedPorts: Array<Partial<Record<NodePortName, number>>> = [];
  // the spec's own ports now; the defaults once the model knows what else each machine publishes
  const hostOf = (name: string) => placement.get(name) ?? hosts[0]!.name;
  const nodesOnHost = new Map<string, number>();
  for (const node of expanded) nodesOnHost.set(hostOf(node.name), (nodesOnHost.get(hostOf(node.name)) ?? 0) + 1);
  const nodes: NodeModel[] = expanded.map(({ explicitPorts, memory, memoryPath, ...node }) => {
    const host = hostOf(node.name);
    const indexOnHost = hostIndex.get(host) ?? 0;
    hostIndex.set(host, indexOnHost + 1);
    const lbOnSameHost = !multiHost && spec.loadBalancer.enabled && !spec.loadBalancer.keepalived;
    wantedPorts.push(defaultPorts(multiHost, indexOnHost, lbOnSameHost, listenerProtocols, tlsPorts(spec)));
    return {
      ...node,
      host,
      ports: explicitPorts,
      address: subnetCidr ? formatIpv4(subnetCidr.network + NODE_ADDRESS_OFFSET + node.index) : undefined,
      memory: nodeMemory(memory, memoryPath, nodesOnHost.get(host) ?? 1, spec.rabbitmq.memoryHighWatermark),
    };
  });

  const rabbitmq = normalizeRabbitmq(
    spec,
    listeners.map((l) => l.protocol),
  );
  const loadBalancer = spec.loadBalancer.enabled ? normalizeLoadBalancer(spec, hosts, multiHost, subnetCidr?.network) : undefined;
  if (!rabbitmq.heartbeatExplicit && loadBalancer) {
    rabbitmq.heartbeatSeconds = Math.max(1, Math.min(60, Math.floor(loadBalancer.idleTimeoutSeconds / 2)));
  }
  const monitoring = normalizeMonitoring(spec, hosts, subnetCidr, loadBalancer);

  const model: ClusterModel = {
    name: spec.name,
    project: spec.project ?? `rmq-${spec.name}`,
    rabbitmq,
    nodes,
    hosts,
    multiHost,
    loadBalancer,
    policies: spec.policies.map((p, i) => ({ ...p, path: `policies[${i}]` })),
    network: { subnet: subnet.value, subnetPath: subnet.path, derived: subnet.derived, openNodePorts: spec.network.openNodePorts },
    secrets: secretNeeds(rabbitmq),
    nofile: spec.limits.nofile,
    logging: { ...spec.logging },
    monitoring,
    tls: normalizeTls(spec),
  };
  settleDefaultPorts(model, wantedPorts);
  return model;
}

function normalizeRabbitmq(spec: ParsedSpec, protocols: string[]): RabbitmqModel {
  const r = spec.rabbitmq;
  const version = (r.version ? parseVersion(r.version) : versionFromImage(r.image)) ?? LATEST_KNOWN;
  const needed = protocols.map((p) => PROTOCOL_PLUGINS[p as keyof typeof PROTOCOL_PLUGINS]).filter((p): p is string => Boolean(p));
  const addedPlugins = [...new Set(needed)].filter((p) => !r.plugins.includes(p));
  const monitoringPlugins = pluginsForMonitoring(spec).filter((p) => !r.plugins.includes(p) && !addedPlugins.includes(p));
  return {
    image: r.image,
    version,
    defaultUser: r.defaultUser.includes('${') ? parseSecretValue(r.defaultUser, 'RABBITMQ_DEFAULT_USER') : { kind: 'plain', value: r.defaultUser },
    defaultPass: parseSecretValue(r.defaultPass, 'RABBITMQ_DEFAULT_PASS'),
    erlangCookie: parseSecretValue(r.erlangCookie, 'RABBITMQ_ERLANG_COOKIE'),
    plugins: [...r.plugins, ...addedPlugins, ...monitoringPlugins],
    addedPlugins,
    monitoringPlugins,
    formation: r.formation,
    partitionHandling: hasMnesia(version) ? r.partitionHandling : undefined,
    heartbeatSeconds: r.heartbeat ?? 60,
    heartbeatPath: 'rabbitmq.heartbeat',
    heartbeatExplicit: r.heartbeat !== undefined,
    memoryHighWatermark: r.memoryHighWatermark,
    defaultQueueType: r.defaultQueueType,
    diskFreeLimit: r.diskFreeLimit,
    definitionsFile: r.definitions,
  };
}

function normalizeLoadBalancer(spec: ParsedSpec, hosts: ClusterModel['hosts'], multiHost: boolean, network: number | undefined): LoadBalancerModel {
  const lb = spec.loadBalancer;
  const k = lb.keepalived;
  const lbHosts = multiHost ? hosts.filter((h) => h.loadBalancer) : [];
  const count = multiHost ? lbHosts.length : k ? (k.instances ?? 2) : 1;
  const instances: LbInstanceModel[] = Array.from({ length: count }, (_, i) => ({
    name: multiHost ? lbHosts[i]!.name : `lb${i + 1}`,
    host: multiHost ? lbHosts[i]!.name : hosts[0]!.name,
    address: multiHost ? lbHosts[i]!.address : network !== undefined ? formatIpv4(network + LB_ADDRESS_OFFSET + i) : undefined,
    state: i === 0 ? 'MASTER' : 'BACKUP',
    priority: 150 - 10 * i,
  }));
  return {
    image: lb.image,
    listeners: (lb.listeners ?? defaultListeners(spec)).map((l, i) => ({
      ...l,
      path: lb.listeners ? `loadBalancer.listeners[${i}]` : 'loadBalancer',
      backendPort: CONTAINER_PORTS[l.protocol],
    })),
    connectTimeout: lb.connectTimeout,
    idleTimeout: lb.idleTimeout,
    idleTimeoutSeconds: durationSeconds(lb.idleTimeout),
    maxFails: lb.maxFails,
    failTimeout: lb.failTimeout,
    networkMode: multiHost ? 'host' : 'cluster',
    instances,
    keepalived: k
      ? {
          virtualIp: k.virtualIp,
          interface: k.interface,
          virtualRouterId: k.virtualRouterId,
          legacyAuthPass: k.authPass !== undefined,
          image: k.image,
          path: 'loadBalancer.keepalived',
        }
      : undefined,
  };
}

/**
 * The single-host network needs a known subnet so nodes and LBs get fixed addresses (nginx keeps
 * working when a node is down, keepalived knows its peers). With a VIP it is the VIP's network.
 */
function chooseSubnet(spec: ParsedSpec, multiHost: boolean): { value: string | undefined; path: string; derived: boolean } {
  if (multiHost) return { value: undefined, path: 'network.subnet', derived: false };
  if (spec.network.subnet) return { value: spec.network.subnet, path: 'network.subnet', derived: false };
  const vip = spec.loadBalancer.enabled ? spec.loadBalancer.keepalived?.virtualIp : undefined;
  const vipCidr = vip ? parseCidr(vip) : undefined;
  if (vipCidr) return { value: formatCidr(vipCidr.network, vipCidr.prefix), path: 'loadBalancer.keepalived.virtualIp', derived: true };
  // Stable per cluster name, so two clusters on one machine rarely collide; network.subnet overrides.
  const hash = createHash('sha256').update(spec.name).digest();
  return { value: `172.${24 + (hash[0]! % 8)}.${hash[1]!}.0/24`, path: 'network.subnet', derived: true };
}

function secretNeeds(rabbitmq: RabbitmqModel): SecretNeed[] {
  const needs: SecretNeed[] = [];
  const add = (value: RabbitmqModel['defaultUser'], path: string, generate?: SecretNeed['generate']) => {
    if (value.kind === 'plain') return;
    needs.push({ variable: value.variable, path, generate, inlineValue: value.kind === 'inline' ? value.value : undefined });
  };
  add(rabbitmq.defaultUser, 'rabbitmq.defaultUser');
  add(rabbitmq.defaultPass, 'rabbitmq.defaultPass', { length: 32, alphabet: ALNUM });
  add(rabbitmq.erlangCookie, 'rabbitmq.erlangCookie', { length: 48, alphabet: UPPER_ALNUM });
  return needs;
}
