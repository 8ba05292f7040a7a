import type { ClusterModel } from '../spec/model.js';

/**
 * `rmq-compose.json`, written beside the compose files: what the operations core needs to act on
 * a generated cluster without re-reading the spec. No secrets in it, only the names of the
 * .env variables that hold them.
 */
export interface ClusterManifest {
  schemaVersion: 1;
  name: string;
  /** Docker Compose project name (`-p`). */
  project: string;
  rabbitmq: {
    image: string;
    version: string;
    major: number;
    minor: number;
    formation: 'auto' | 'manual';
    mirroring: boolean;
    plugins: string[];
    /** Literal user name, or undefined when it comes from `defaultUserVariable`. */
    defaultUser: string | undefined;
    defaultUserVariable: string | undefined;
    defaultPassVariable: string;
    erlangCookieVariable: string;
  };
  nodes: Array<{
    name: string;
    /** rabbit@<name> */
    erlangNode: string;
    type: 'disc' | 'ram';
    /** Compose service name (same as the node name). */
    service: string;
    host: string;
    ports: Partial<Record<'amqp' | 'management' | 'mqtt' | 'stomp' | 'stream', number>>;
    address: string | undefined;
  }>;
  hosts: Array<{
    name: string;
    address: string | undefined;
    /** DOCKER_HOST to reach this machine (e.g. ssh://…); undefined = the local engine. */
    docker: string | undefined;
    /** Compose file relative to the cluster folder. */
    composeFile: string;
    services: string[];
  }>;
  loadBalancer:
    | {
        listeners: Array<{ protocol: string; port: number }>;
        virtualIp: string | undefined;
        instances: Array<{ name: string; host: string; address: string | undefined; nginxService: string; keepalivedService: string | undefined }>;
      }
    | undefined;
  policies: Array<{ name: string; pattern: string; applyTo: string; priority: number; vhost: string; definition: Record<string, unknown> }>;
  /** .env file relative to the cluster folder. */
  envFile: '.env';
  /** Every other file gen wrote here, so a later gen can remove the ones a changed spec drops. */
  generatedFiles: string[];
}

export const MANIFEST_FILE = 'rmq-compose.json';

export function buildManifest(
  model: ClusterModel,
  composeFileOf: (host: string) => string,
  servicesOf: (host: string) => string[],
  generatedFiles: string[],
): ClusterManifest {
  const r = model.rabbitmq;
  const lb = model.loadBalancer;
  return {
    schemaVersion: 1,
    name: model.name,
    project: model.project,
    rabbitmq: {
      image: r.image,
      version: r.version.text,
      major: r.version.major,
      minor: r.version.minor,
      formation: r.formation,
      mirroring: r.version.major < 4,
      plugins: r.plugins,
      defaultUser: r.defaultUser.kind === 'plain' ? r.defaultUser.value : undefined,
      defaultUserVariable: r.defaultUser.kind === 'plain' ? undefined : r.defaultUser.variable,
      defaultPassVariable: r.defaultPass.variable,
      erlangCookieVariable: r.erlangCookie.variable,
    },
    nodes: model.nodes.map((n) => ({ name: n.name, erlangNode: n.erlangNode, type: n.type, service: n.name, host: n.host, ports: n.ports, address: n.address })),
    hosts: model.hosts
      .filter((h) => h.nodes.length > 0 || h.loadBalancer)
      .map((h) => ({ name: h.name, address: h.address, docker: h.docker, composeFile: composeFileOf(h.name), services: servicesOf(h.name) })),
    loadBalancer: lb
      ? {
          listeners: lb.listeners.map((l) => ({ protocol: l.protocol, port: l.port })),
          virtualIp: lb.keepalived?.virtualIp,
          instances: lb.instances.map((i) => ({
            name: i.name,
            host: i.host,
            address: i.address,
            nginxService: lbServiceNames(model, i.name).nginx,
            keepalivedService: lbServiceNames(model, i.name).keepalived,
          })),
        }
      : undefined,
    policies: model.policies.map(({ path: _path, ...p }) => p),
    envFile: '.env',
    generatedFiles,
  };
}

/** Compose service names of one LB instance; shared by the compose renderer and the manifest. */
export function lbServiceNames(model: ClusterModel, instance: string): { nginx: string; keepalived: string | undefined; netns?: string } {
  const k = model.loadBalancer?.keepalived;
  if (model.multiHost) return { nginx: 'nginx', keepalived: k ? 'keepalived' : undefined };
  if (!k) return { nginx: 'lb', keepalived: undefined };
  return { nginx: `${instance}-nginx`, keepalived: `${instance}-keepalived`, netns: `${instance}-netns` };
}
