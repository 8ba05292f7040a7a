import type { NodePortName } from '../../contract/ports.js';
import type { ListenerSpec, PolicySpec, ProtocolName } from './schema.js';
import type { SecretNeed, SecretValue } from './secret-ref.js';
import type { RabbitmqVersion } from './version.js';
import type { KeyType } from '../../contract/tls/inputs.js';

/**
 * The spec after defaults and shorthands are filled in: what the rules check and the renderers
 * read. Each part keeps the dot path of where the user wrote it, so findings can name it.
 */
export interface ClusterModel {
  name: string;
  /** Docker Compose project name (also the prefix of containers, networks and volumes). */
  project: string;
  rabbitmq: RabbitmqModel;
  nodes: NodeModel[];
  hosts: HostModel[];
  /** True when the spec lists `hosts:`: one compose project per machine. */
  multiHost: boolean;
  loadBalancer: LoadBalancerModel | undefined;
  policies: Array<PolicySpec & { path: string }>;
  /**
   * Cluster network on a single host; undefined subnet only for multi-host layouts.
   * openNodePorts: publish the nodes' own ports on every interface rather than 127.0.0.1.
   */
  network: { subnet: string | undefined; subnetPath: string; derived: boolean; openNodePorts: boolean };
  secrets: SecretNeed[];
  /** ulimit nofile for every container; 0 leaves the daemon's default. */
  nofile: number;
  /** Docker log driver and rotation of every container; `daemon` sets nothing. */
  logging: { driver: 'json-file' | 'local' | 'daemon'; maxSize: string; maxFiles: number };
  /** Prometheus, when the spec has `monitoring: { prometheus: true }`. */
  monitoring: MonitoringModel | undefined;
  /** TLS, when the spec has `tls:`. */
  tls: TlsModel | undefined;
}

export interface CertAndKeyPaths {
  cert: string;
  key: string;
}

export interface TlsModel {
  /** generate: the tool's CA and certificates (kept in tls/ of the cluster folder); files: the user's, paths relative to the spec. */
  certificates: { kind: 'generate' } | { kind: 'files'; ca: string; nodes: Record<string, CertAndKeyPaths>; loadBalancer: CertAndKeyPaths | undefined };
  keyType: KeyType;
  validDays: number;
  clients: 'passthrough' | 'terminate';
  clientCertificates: boolean;
  disableNonTls: boolean;
  /** Management over HTTPS (15671). */
  management: boolean;
  interNode: boolean;
  /** `tls.names`, split: DNS names and IPv4 addresses clients use. */
  dnsNames: string[];
  ipAddresses: string[];
  /** Names that are neither (a rule reports them). */
  badNames: Array<{ value: string; path: string }>;
  path: string;
}

export interface RabbitmqModel {
  image: string;
  version: RabbitmqVersion;
  defaultUser: SecretValue | { kind: 'plain'; value: string };
  defaultPass: SecretValue;
  erlangCookie: SecretValue;
  /** Plugins to enable: the spec's, plus what the LB listeners and monitoring need. */
  plugins: string[];
  /** Plugins added because a listener needs them (said in the README). */
  addedPlugins: string[];
  /** Plugins added because monitoring needs them (rabbitmq_prometheus), unless the spec lists them. */
  monitoringPlugins: string[];
  formation: 'auto' | 'manual';
  /** Undefined on RabbitMQ >= 4.3, which has no partition handling strategies. */
  partitionHandling: 'pause_minority' | 'autoheal' | 'ignore' | undefined;
  heartbeatSeconds: number;
  heartbeatPath: string;
  heartbeatExplicit: boolean;
  memoryHighWatermark: number;
  /** default_queue_type (4.0+); undefined leaves RabbitMQ's default (classic). */
  defaultQueueType: 'classic' | 'quorum' | undefined;
  diskFreeLimit: string;
  /** `rabbitmq.definitions` as written (relative to the spec's folder), or undefined. */
  definitionsFile: string | undefined;
}

export type { NodePortName } from '../../contract/ports.js';

export interface NodeModel {
  name: string;
  /** `rabbit@<name>` */
  erlangNode: string;
  index: number;
  path: string;
  type: 'disc' | 'ram';
  /** Host ports published for this node, by protocol. */
  ports: Partial<Record<NodePortName, number>>;
  host: string;
  /** Fixed address on the single-host cluster network. */
  address: string | undefined;
  memory: NodeMemoryModel;
}

/**
 * A node's memory: its container limit, when the spec sets one, and where its memory alarm goes.
 * With a limit the alarm is absolute (a share of the limit): RabbitMQ does not always read a
 * container's cgroup limit and would take the machine's memory instead. Without one, the nodes on
 * a machine share it: each alarms at its share of the relative watermark.
 */
export interface NodeMemoryModel {
  limitBytes: number | undefined;
  /** Where the limit was written (`resources.memory`, `nodes[1].resources.memory`), for findings. */
  path: string | undefined;
  watermark: { kind: 'absolute'; bytes: number } | { kind: 'relative'; fraction: number };
  /** Nodes of this cluster on the node's machine (itself included). */
  nodesOnHost: number;
}

export interface HostModel {
  name: string;
  path: string;
  /** Undefined for the implicit single host. */
  address: string | undefined;
  nodes: string[];
  loadBalancer: boolean;
  docker: string | undefined;
  /** `monitoring: true`: Prometheus runs here. */
  monitoring: boolean;
}

export interface MonitoringModel {
  image: string;
  /** Host port of the web UI and HTTP API. */
  port: number;
  scrapeInterval: string;
  scrapeIntervalSeconds: number;
  retention: string;
  /** The host that runs Prometheus; undefined when no host fits (a rule reports it). */
  host: string | undefined;
  /** Why that host, for the README. */
  placement: 'single-host' | 'marked' | 'first-load-balancer' | 'none';
  /** Fixed address on the single-host cluster network. */
  address: string | undefined;
  /** Address the port is published on: 127.0.0.1 on one machine, the host's address across machines. */
  publishAddress: string | undefined;
  path: string;
}

export interface LbInstanceModel {
  name: string;
  host: string;
  /** Address keepalived speaks VRRP from (fixed IP or host address). */
  address: string | undefined;
  state: 'MASTER' | 'BACKUP';
  priority: number;
}

export interface LoadBalancerModel {
  image: string;
  listeners: Array<ListenerSpec & { path: string; backendPort: number }>;
  connectTimeout: string;
  idleTimeout: string;
  idleTimeoutSeconds: number;
  maxFails: number;
  failTimeout: string;
  /** `host`: nginx/keepalived on the machine's network (multi-host); `cluster`: on the compose network. */
  networkMode: 'host' | 'cluster';
  instances: LbInstanceModel[];
  keepalived: KeepalivedModel | undefined;
}

export interface KeepalivedModel {
  virtualIp: string;
  interface: string;
  virtualRouterId: number;
  /** Set when the spec still names authPass (VRRPv2's PASS authentication, gone with VRRPv3): warned about, unused. */
  legacyAuthPass: boolean;
  image: string | undefined;
  path: string;
}

/** Port each protocol listens on inside a RabbitMQ container. */
export { CONTAINER_PORTS } from '../../contract/ports.js';

/** Plugin a listener's protocol needs on every node. */
export const PROTOCOL_PLUGINS: Partial<Record<ProtocolName, string>> = {
  mqtt: 'rabbitmq_mqtt',
  stomp: 'rabbitmq_stomp',
  stream: 'rabbitmq_stream',
  management: 'rabbitmq_management',
  mqtts: 'rabbitmq_mqtt',
  https: 'rabbitmq_management',
};
