import type { ClusterModel } from '../../spec/model.js';

/**
 * The subset of the Compose file format rmq-compose writes: works with compose v2 and v1 ≥ 1.27,
 * except `configs` with `content` (v2.23.1+), written only for machines reached remotely.
 */
export interface ComposeService {
  image?: string;
  build?: { context: string };
  hostname?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | Interpolated>;
  ports?: string[];
  volumes?: string[];
  /** Long syntax: a top-level config copied into the container at `target` (file mode `mode`). */
  configs?: Array<{ source: string; target: string; mode: number }>;
  networks?: Record<string, { ipv4_address?: string } | null>;
  network_mode?: string;
  extra_hosts?: string[];
  cap_add?: string[];
  depends_on?: Record<string, { condition: 'service_started' | 'service_healthy' }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
  restart?: string;
  stop_grace_period?: string;
  ulimits?: Record<string, { soft: number; hard: number }>;
  /** Bytes; with memswap_limit equal, the container gets no swap beyond its memory. */
  mem_limit?: number;
  memswap_limit?: number;
  logging?: { driver: string; options: Record<string, string> };
  labels?: Record<string, string>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { driver: string; ipam?: { config: Array<{ subnet: string }> } }>;
  volumes?: Record<string, Record<string, never>>;
  configs?: Record<string, ComposeConfig>;
}

/** A top-level config whose bytes are in the compose file itself (Compose v2.23.1+). */
export interface ComposeConfig {
  content: string;
}

/** Name of the cluster network inside each compose file. */
export const NETWORK = 'rabbitmq';

/**
 * A value Compose must interpolate. Every plain string of the compose object is literal and gets
 * its `$` doubled when written (write-compose-yaml.ts); only these keep theirs, so a `$` in an
 * image name or a user name can never read a variable.
 */
export class Interpolated {
  constructor(readonly text: string) {}
}

/** `${VAR:?hint}`: compose refuses to start with a clear message when the secret is missing. */
export function requiredVariable(variable: string): Interpolated {
  return new Interpolated(`\${${variable}:?${variable} is not set; rmq-compose gen writes it to .env}`);
}

/**
 * Log rotation for a service: a broker that logs to its console fills the disk through Docker's
 * log file otherwise. `daemon` leaves the daemon's own driver (journald, fluentd, ...) alone.
 */
export function logRotation(logging: ClusterModel['logging']): Pick<ComposeService, 'logging'> {
  if (logging.driver === 'daemon') return {};
  return { logging: { driver: logging.driver, options: { 'max-size': logging.maxSize, 'max-file': String(logging.maxFiles) } } };
}

/** ulimits for a service, or nothing when the spec keeps the daemon's default. */
export function nofileLimit(nofile: number): Pick<ComposeService, 'ulimits'> {
  return nofile > 0 ? { ulimits: { nofile: { soft: nofile, hard: nofile } } } : {};
}
