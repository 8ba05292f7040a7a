import { z } from 'zod';
import { ENV_FILE } from './cluster-files.js';
import {
  CLUSTER_NAME,
  CONTROL_CHARACTER,
  DOCKER_CONTEXT,
  DOCKER_HOST_URL,
  ENV_VARIABLE,
  ERLANG_NODE,
  HOSTNAME_LABEL,
  PLUGIN_NAME,
  POLICY_NAME,
  PROJECT_NAME,
  RELATIVE_PATH,
  SERVICE_NAME,
} from './names.js';
import { NODE_PORT_NAMES } from './ports.js';
import { VERSION_TEXT } from './version-parse.js';

/**
 * `rmq-compose.json`: what the operations core needs to act on a generated cluster without
 * re-reading the spec. The generator writes it (typed by this schema), ops reads it (validated
 * by this schema): one declaration. No secrets, only the names of the .env variables holding
 * them. Every string that ops passes to docker or rabbitmqctl is held to the spec's own shapes,
 * because the file sits in a folder people edit by hand.
 */

const port = z.number().int().min(1).max(65535);
const named = (pattern: RegExp, what: string) => z.string().regex(pattern, `must be ${what}`);
const printable = z
  .string()
  .max(1000)
  .refine((s) => !CONTROL_CHARACTER.test(s), 'must not contain control characters');
const serviceName = named(SERVICE_NAME, 'a Compose service name (lowercase letters, digits, "_", "." or "-")');
const hostName = named(HOSTNAME_LABEL, 'a host name (one DNS label)');
const relativePath = named(RELATIVE_PATH, 'a relative path inside the cluster folder (no "..", no leading "/")');
const address = z.ipv4({ message: 'must be an IPv4 address' });
const dockerEndpoint = z
  .string()
  .refine((s) => DOCKER_HOST_URL.test(s) || DOCKER_CONTEXT.test(s), 'must be ssh://user@host[:port], tcp://host:port, unix:///path or a docker context name');

const NodePortNameSchema = z.enum(NODE_PORT_NAMES);

export const ManifestNodeSchema = z.object({
  name: hostName,
  /** rabbit@<name> */
  erlangNode: named(ERLANG_NODE, 'an Erlang node name such as rabbit@rabbit1'),
  type: z.enum(['disc', 'ram']),
  /** Compose service name (same as the node name). */
  service: serviceName,
  host: hostName,
  ports: z.partialRecord(NodePortNameSchema, port),
  address: address.optional(),
});

export const ManifestHostSchema = z.object({
  name: hostName,
  address: address.optional(),
  /** DOCKER_HOST or docker context to reach this machine; absent = the local engine. */
  docker: dockerEndpoint.optional(),
  /** Compose file relative to the cluster folder. */
  composeFile: relativePath,
  services: z.array(serviceName),
});

export const ManifestLbInstanceSchema = z.object({
  name: hostName,
  host: hostName,
  address: address.optional(),
  nginxService: serviceName,
  keepalivedService: serviceName.optional(),
});

export const ManifestPolicySchema = z.object({
  name: named(POLICY_NAME, 'a policy name'),
  pattern: printable.min(1),
  applyTo: z.enum(['queues', 'exchanges', 'all', 'classic_queues', 'quorum_queues', 'streams']),
  priority: z.number().int(),
  vhost: printable.min(1),
  definition: z.record(z.string(), z.unknown()),
});

/** A Prometheus job name: what a PromQL selector such as up{job="…"} quotes, so no quote or backslash. */
const PROMETHEUS_JOB = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * Prometheus when the spec has `monitoring: { prometheus: true }`: where it answers and what it
 * scrapes, so ops (a check command, a watcher) can ask its HTTP API without the spec.
 */
export const ManifestPrometheusSchema = z.object({
  /** Compose service name in `host`'s compose file. */
  service: serviceName,
  host: hostName,
  /** Its web UI and HTTP API: http://<address>:<port>/ (127.0.0.1 on the machine that runs it, for one machine). */
  address,
  port,
  /** Scrape jobs: `nodes` has one target per node (`up{job=…, node="rabbit1"}`), `queues` the per-queue metrics. */
  jobs: z.object({ nodes: named(PROMETHEUS_JOB, 'a Prometheus job name'), queues: named(PROMETHEUS_JOB, 'a Prometheus job name') }),
  scrapeInterval: z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 15s'),
  /** prometheus.yml and the alert rules, relative to the cluster folder. */
  configFile: relativePath,
  rulesFile: relativePath,
  /** The alerts the rules define (alertname values). */
  alerts: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'must be an alert name')),
});

const tlsPair = z.object({ certFile: relativePath, keyFile: relativePath });

/**
 * TLS when the spec has `tls:`: what ops verifies served certificates against (`caFile`), the
 * files rotate-certs replaces, and how the listeners are laid out. Paths are relative to the
 * cluster folder; the keys they name are 0600 and git-ignored.
 */
export const ManifestTlsSchema = z.object({
  /** passthrough: nginx forwards the TLS bytes and the brokers end TLS; terminate: nginx ends it and re-encrypts to the brokers. */
  clients: z.enum(['passthrough', 'terminate']),
  /** No plain AMQP, MQTT or management HTTP listener anywhere. */
  disableNonTls: z.boolean(),
  /** Erlang distribution (clustering, CLI tools) over TLS. */
  interNode: z.boolean(),
  /** Brokers ask clients for a certificate signed by the CA (passthrough only). */
  clientCertificates: z.boolean(),
  /** generated: rmq-compose made the CA and the certificates and can issue new ones; files: the user's own. */
  certificates: z.enum(['generated', 'files']),
  caFile: relativePath,
  /** The CA's private key, generated certificates only (rotate-certs signs with it). */
  caKeyFile: relativePath.optional(),
  nodes: z.record(z.string(), tlsPair),
  /** nginx's own certificate, with `clients: terminate`. */
  loadBalancer: tlsPair.optional(),
  /** Extra names (DNS or IPv4) clients reach the cluster by, beyond node names and addresses. */
  names: z.array(printable.min(1)),
});

export const ManifestSchema = z.object({
  schemaVersion: z.literal(1),
  name: named(CLUSTER_NAME, 'a cluster name'),
  /** Docker Compose project name (`-p`). */
  project: named(PROJECT_NAME, 'a Compose project name'),
  rabbitmq: z.object({
    image: printable.min(1),
    version: z.string().regex(VERSION_TEXT),
    major: z.number().int(),
    minor: z.number().int(),
    formation: z.enum(['auto', 'manual']),
    mirroring: z.boolean(),
    plugins: z.array(named(PLUGIN_NAME, 'a plugin name')),
    /** Literal user name, or absent when it comes from `defaultUserVariable`. */
    defaultUser: printable.min(1).optional(),
    defaultUserVariable: named(ENV_VARIABLE, 'an environment variable name').optional(),
    defaultPassVariable: named(ENV_VARIABLE, 'an environment variable name'),
    erlangCookieVariable: named(ENV_VARIABLE, 'an environment variable name'),
  }),
  nodes: z.array(ManifestNodeSchema).min(1),
  hosts: z.array(ManifestHostSchema).min(1),
  loadBalancer: z
    .object({
      listeners: z.array(z.object({ protocol: NodePortNameSchema, port })),
      virtualIp: z
        .string()
        .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 address with a prefix')
        .optional(),
      instances: z.array(ManifestLbInstanceSchema),
    })
    .optional(),
  policies: z.array(ManifestPolicySchema),
  /** .env file relative to the cluster folder. */
  envFile: z.literal(ENV_FILE),
  /**
   * The spec this folder was generated from, relative to the folder (or absolute), so `upgrade`
   * can record a new image in it and generate again. Absent for the bundled seed spec, which is
   * not the user's to edit.
   */
  spec: printable.min(1).optional(),
  /** Every other file gen wrote here, so a later gen can remove the ones a changed spec drops. */
  generatedFiles: z.array(relativePath).default([]),
  /**
   * sha256 (hex) of each file gen wrote that is not private, and of this manifest without this
   * field: a later gen tells a file edited by hand from one it wrote (generator/write/gen-record.ts).
   * Absent in manifests written before it existed. The private files' hashes stay out of it.
   */
  generatedHashes: z.record(relativePath, z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex')).optional(),
  /** Absent without monitoring, and in manifests written before it existed. */
  monitoring: z.object({ prometheus: ManifestPrometheusSchema }).optional(),
  /** Absent without `tls:` in the spec. */
  tls: ManifestTlsSchema.optional(),
});

export type ClusterManifest = z.infer<typeof ManifestSchema>;
export type ManifestNode = ClusterManifest['nodes'][number];
export type ManifestPrometheus = z.infer<typeof ManifestPrometheusSchema>;
export type ManifestTls = z.infer<typeof ManifestTlsSchema>;

/** Validate parsed JSON; problems come one per line with their dot path. */
export function parseManifest(raw: unknown): { ok: true; manifest: ClusterManifest } | { ok: false; problems: string[] } {
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`) };
  return { ok: true, manifest: parsed.data };
}
