import { z } from 'zod';
import { CLUSTER_NAME, PLUGIN_NAME, POLICY_NAME, PROJECT_NAME } from '../../contract/names.js';
import { NODE_PORT_NAMES } from '../../contract/ports.js';
import { DEFAULT_IMAGE } from '../../contract/rabbitmq-versions.js';
import { DEFAULT_KEY_TYPE, KEY_TYPES } from '../../contract/tls/inputs.js';
import { DURATION, notADuration, notARetention, RETENTION } from './duration.js';
import { MEMORY_SIZE, memoryBytes, MIN_NODE_MEMORY_BYTES, notAMemorySize } from './memory-size.js';
import { VERSION_TEXT } from '../../contract/version-parse.js';

// A CLI parses one spec per run: compiling validators (zod's JIT) costs more than it saves.
z.config({ jitless: true });

/**
 * The cluster spec as a user writes it (`rmq-cluster.yaml`). Shorthands are allowed here and
 * expanded by `normalize.ts`; every object is strict so a typo is an error, not a silent default.
 */

const port = z
  .number({ error: 'must be a port number between 1 and 65535' })
  .int('must be a whole number between 1 and 65535')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/** `60s`, `5m`, `1h`, `500ms`: the forms nginx and humans both read (duration.ts says the format). */
export const duration = z.string({ error: (issue) => notADuration(issue.input) }).regex(DURATION, { error: (issue) => notADuration(issue.input) });

export const Protocol = z.enum(NODE_PORT_NAMES);

export const NodePorts = z.strictObject({
  amqp: port.optional(),
  management: port.optional(),
  mqtt: port.optional(),
  stomp: port.optional(),
  stream: port.optional(),
  amqps: port.optional(),
  mqtts: port.optional(),
  https: port.optional().describe('Management UI and HTTP API over TLS (tls.management).'),
});

const memorySize = z
  .string({ error: (issue) => notAMemorySize(issue.input) })
  .regex(MEMORY_SIZE, { error: (issue) => notAMemorySize(issue.input) })
  .refine((text) => memoryBytes(text) >= MIN_NODE_MEMORY_BYTES, { error: (issue) => notAMemorySize(issue.input) });

export const Resources = z.strictObject({
  memory: memorySize
    .optional()
    .describe(
      "Memory limit of a node's container (mem_limit, no swap beyond it), e.g. 2g or 1536m. The memory alarm is set to rabbitmq.memoryHighWatermark of it, as an absolute value (RabbitMQ does not always see a container's limit). Without it, nodes have no limit and those sharing a machine split its memory: each alarms at memoryHighWatermark / (nodes on the machine).",
    ),
});

export const NodeObject = z.strictObject({
  name: z.string().describe('Hostname of the node; the Erlang node is rabbit@<name>.'),
  type: z.enum(['disc', 'ram']).default('disc').describe('disc (default) or ram (legacy, RabbitMQ 3.x only).'),
  ports: NodePorts.optional().describe('Host ports to publish; defaults count up from the standard ports.'),
  resources: Resources.optional().describe("This node's own resources; default: the top-level resources."),
});

export const NodeEntry = z.union([z.string(), NodeObject]);

export const Nodes = z
  .union([
    z.number().int('must be a whole number').min(1, 'must be at least 1').max(99, 'must be at most 99'),
    z.array(NodeEntry).min(1, 'must list at least one node'),
  ])
  .describe('Either a count (rabbit1..rabbitN, all disc) or a list of names / node objects.');

export const Rabbitmq = z.strictObject({
  image: z.string().min(1).default(DEFAULT_IMAGE),
  version: z
    .string()
    .regex(VERSION_TEXT, 'must look like 3.13 or 4.1.2')
    .optional()
    .describe('RabbitMQ version of the image, when its tag does not say (e.g. a private image).'),
  defaultUser: z.string().min(1).default('admin'),
  defaultPass: z.string().min(1).default('${RABBITMQ_DEFAULT_PASS}'),
  erlangCookie: z.string().min(1).default('${RABBITMQ_ERLANG_COOKIE}'),
  plugins: z.array(z.string().regex(PLUGIN_NAME, 'must be a plugin name such as rabbitmq_mqtt')).default(['rabbitmq_management']),
  formation: z
    .enum(['auto', 'manual'])
    .default('auto')
    .describe('auto: peer discovery at boot; manual: deploy runs stop_app/reset/join_cluster/start_app like the seed.'),
  partitionHandling: z.enum(['pause_minority', 'autoheal', 'ignore']).default('pause_minority'),
  heartbeat: z.number().int().min(0).max(3600).optional().describe('AMQP heartbeat in seconds; defaults to half the LB idle timeout, at most 60.'),
  memoryHighWatermark: z.number().min(0.1).max(0.9).default(0.6),
  diskFreeLimit: z
    .string()
    .regex(/^\d+(MB|GB|mb|gb)$/, 'must look like 2GB or 500MB')
    .default('2GB'),
  defaultQueueType: z
    .enum(['classic', 'quorum'])
    .optional()
    .describe(
      'RabbitMQ 4.0+: the type of a queue declared without x-queue-type. quorum also relaxes the redeclaration check, so clients that still declare their converted queues as classic keep working (what migrate sets on green).',
    ),
  definitions: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A RabbitMQ definitions export (JSON: users, vhosts, permissions, queues, exchanges, bindings, policies) that every node imports at boot; path relative to the spec file. The default user is added to it (RabbitMQ creates none when it imports definitions).',
    ),
});

export const Listener = z.strictObject({
  protocol: Protocol,
  port,
});

export const Keepalived = z.strictObject({
  virtualIp: z.string().describe('Floating address with prefix, e.g. 192.168.1.100/24.'),
  interface: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,15}$/, 'must be a network interface name such as eth0')
    .default('eth0'),
  virtualRouterId: z
    .number({ error: 'must be a whole number between 1 and 255 (VRRP carries it in one byte), e.g. 51' })
    .int('must be a whole number between 1 and 255 (VRRP carries it in one byte), e.g. 51'),
  instances: z
    .number()
    .int()
    .min(1)
    .max(8)
    .optional()
    .describe('Load balancer instances on a single host (default 2). With hosts:, the hosts marked loadBalancer.'),
  authPass: z
    .string()
    .optional()
    .describe('Ignored: keepalived speaks VRRPv3 (sub-second adverts), which has no authentication; only the listed unicast peers are heard.'),
  image: z
    .string()
    .optional()
    .describe(
      'Image with keepalived; default: built from the generated keepalived/Dockerfile (Debian 13.8 and keepalived 1:2.3.3-1, pinned; offline from keepalived/debs/).',
    ),
});

export const LoadBalancer = z.strictObject({
  enabled: z.boolean().default(true),
  image: z.string().default('nginx:1.27-alpine'),
  listeners: z.array(Listener).min(1).optional(),
  connectTimeout: duration.default('60s'),
  idleTimeout: duration.default('120s'),
  maxFails: z.number().int().min(0).default(3),
  failTimeout: duration.default('10s'),
  keepalived: Keepalived.optional(),
});

export const Host = z.strictObject({
  name: z.string(),
  address: z.string().describe('IPv4 address other machines reach this host at.'),
  nodes: z.array(z.string()).default([]),
  loadBalancer: z.boolean().default(false),
  docker: z.string().optional().describe('How operations reach this host, e.g. ssh://deploy@192.168.1.17 (DOCKER_HOST).'),
  monitoring: z.boolean().default(false).describe('Run Prometheus on this host (with monitoring.prometheus: true); default: the first load-balancer host.'),
});

export const Policy = z.strictObject({
  name: z.string().regex(POLICY_NAME, 'must be letters, digits, "_", "." or "-" (at most 64)'),
  pattern: z.string().min(1),
  applyTo: z.enum(['queues', 'exchanges', 'all', 'classic_queues', 'quorum_queues', 'streams']).default('queues'),
  priority: z.number().int().default(0),
  vhost: z.string().default('/'),
  definition: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
});

export const Network = z.strictObject({
  subnet: z.string().optional().describe('Subnet of the cluster network on a single host, e.g. 172.28.5.0/24.'),
  openNodePorts: z
    .boolean()
    .default(false)
    .describe(
      "On a single host: publish each node's own ports (nodes[].ports) on every interface, not 127.0.0.1 only. The load balancer's listeners are open either way; with hosts:, nodes publish on their machine's address.",
    ),
});

export const Limits = z.strictObject({
  nofile: z
    .number()
    .int('must be a whole number')
    .refine((n) => n === 0 || (n >= 1024 && n <= 1048576), "must be 0 (keep Docker's default) or between 1024 and 1048576")
    .default(65536)
    .describe("Open-files limit (ulimit nofile) of every container; 0 keeps the Docker daemon's default, for hosts whose daemon caps it lower."),
});

export const Logging = z.strictObject({
  driver: z
    .enum(['json-file', 'local', 'daemon'])
    .default('json-file')
    .describe(
      "Docker log driver of every container: json-file (default) or local, both rotated as below and read by `docker compose logs`; daemon: the Docker daemon's own default driver and options (journald, fluentd, ...), nothing set here.",
    ),
  maxSize: z
    .string()
    .regex(/^[1-9]\d{0,5}[kmg]$/, 'must be a size such as 10m (k, m or g)')
    .default('10m')
    .describe('Size at which a container log file is rotated (json-file, local).'),
  maxFiles: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(5)
    .describe('Rotated files kept per container (json-file, local).'),
});

/** A Prometheus 3 LTS release; the tag is pinned so a regenerated cluster does not move by itself. */
export const DEFAULT_PROMETHEUS_IMAGE = 'prom/prometheus:v3.5.0';

export const Monitoring = z.strictObject({
  prometheus: z
    .boolean()
    .default(false)
    .describe(
      'Run Prometheus beside the cluster: every node gets the rabbitmq_prometheus plugin and is scraped, with alert rules for node down, alarms, file descriptors, unroutable messages and quorum majority.',
    ),
  image: z.string().min(1).default(DEFAULT_PROMETHEUS_IMAGE).describe('Prometheus image (2.x or 3.x).'),
  port: port.default(9090).describe("Host port of Prometheus' web UI and HTTP API (127.0.0.1 on one machine, the host's address with hosts:)."),
  scrapeInterval: duration.default('15s').describe('How often Prometheus scrapes the nodes and evaluates the alert rules (1s to 1m).'),
  retention: z
    .string({ error: (issue) => notARetention(issue.input) })
    .regex(RETENTION, { error: (issue) => notARetention(issue.input) })
    .default('15d')
    .describe('How long Prometheus keeps samples (--storage.tsdb.retention.time).'),
});

const filePath = z.string().min(1).max(1000);
const CertAndKey = z.strictObject({
  cert: filePath.describe('PEM certificate, relative to the spec file.'),
  key: filePath.describe('PEM private key (unencrypted), relative to the spec file.'),
});

export const TlsFiles = z.strictObject({
  ca: filePath.describe('PEM certificate of the CA that signed the node certificates (what clients and nodes verify against).'),
  nodes: z.record(z.string(), CertAndKey).describe('One certificate and key per node, by node name.'),
  loadBalancer: CertAndKey.optional().describe("nginx's certificate and key, with clients: terminate."),
});

export const Tls = z.strictObject({
  certificates: z
    .union([z.literal('generate'), TlsFiles])
    .default('generate')
    .describe('generate (default): a cluster CA and a certificate per node, made once and kept; or your own files (ca, nodes, loadBalancer).'),
  keyType: z.enum(KEY_TYPES).default(DEFAULT_KEY_TYPE).describe('Key type of generated keys: ecdsa-p256 (default) or rsa-3072.'),
  validDays: z
    .number()
    .int('must be a whole number')
    .min(30, 'must be at least 30 days')
    .max(3650, 'must be at most 3650 days')
    .default(397)
    .describe('Life of generated node and load balancer certificates (the CA lives ten years).'),
  clients: z
    .enum(['passthrough', 'terminate'])
    .default('passthrough')
    .describe(
      'passthrough: nginx forwards the TLS bytes and the brokers end TLS (client certificates possible); terminate: nginx ends TLS and re-encrypts to the brokers.',
    ),
  clientCertificates: z.boolean().default(false).describe('Brokers require a client certificate signed by the CA (passthrough only).'),
  disableNonTls: z.boolean().default(false).describe('Close plain AMQP (5672), MQTT (1883) and management HTTP (15672) everywhere.'),
  management: z.boolean().default(true).describe('Management UI and HTTP API over HTTPS on 15671.'),
  interNode: z.boolean().default(false).describe('Erlang distribution (clustering and CLI tools) over TLS: -proto_dist inet_tls.'),
  names: z
    .array(z.string().min(1).max(253))
    .default([])
    .describe('DNS names or IPv4 addresses clients reach the cluster by (besides the VIP), put in the certificates.'),
});

export const ClusterSpecInput = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(CLUSTER_NAME, 'must be lowercase letters, digits and "-" (at most 31), e.g. prod-mq'),
  project: z
    .string()
    .regex(PROJECT_NAME, 'must be a Docker Compose project name: lowercase letters, digits, "_" and "-" (at most 63), e.g. rmq-prod-green')
    .optional()
    .describe(
      'Docker Compose project name (default rmq-<name>): containers, networks and volumes are named after it, so two clusters of the same name (blue and green) can share an engine.',
    ),
  rabbitmq: Rabbitmq.default(Rabbitmq.parse({})),
  nodes: Nodes,
  hosts: z.array(Host).optional(),
  loadBalancer: LoadBalancer.default(LoadBalancer.parse({})),
  policies: z.array(Policy).default([]),
  network: Network.default(Network.parse({})),
  limits: Limits.default(Limits.parse({})),
  resources: Resources.default(Resources.parse({})).describe('Resources of every node, unless the node sets its own (nodes[].resources).'),
  logging: Logging.default(Logging.parse({})).describe("Containers' logs: rotated by Docker (10m × 5 files per container by default)."),
  monitoring: Monitoring.optional().describe('Prometheus for the cluster (monitoring: { prometheus: true }).'),
  tls: Tls.optional().describe('TLS for clients (AMQPS, MQTTS), management (HTTPS) and optionally inter-node traffic.'),
});

export type ClusterSpecInput = z.input<typeof ClusterSpecInput>;
export type ParsedSpec = z.infer<typeof ClusterSpecInput>;
export type RabbitmqSettings = z.infer<typeof Rabbitmq>;
export type ListenerSpec = z.infer<typeof Listener>;
export type KeepalivedSpec = z.infer<typeof Keepalived>;
export type PolicySpec = z.infer<typeof Policy>;
export type ProtocolName = z.infer<typeof Protocol>;
export type TlsSpec = z.infer<typeof Tls>;
