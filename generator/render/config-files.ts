import type { ClusterModel, LbInstanceModel } from '../spec/model.js';
import { hasDefinitionsBackend } from '../spec/version.js';
import { renderTemplate, readStaticTemplate } from './templates.js';
import { file, privateFile, type RenderedFile } from './rendered-file.js';
import { TLS_PROTOCOLS } from '../../contract/ports.js';
import { NGINX_TLS_DIR, NODE_TLS_INSTALLED, NODE_TLS_NAMES, NODE_TLS_STAGED } from '../../contract/tls/layout.js';
import { backendName } from '../tls/certificate-identities.js';
import { NODE_TLS_PATHS } from './tls-files.js';

/** Erlang's ssl_dist options (tls.interNode), generated here and mounted at SSL_DIST_FILE. */
export const INTER_NODE_TLS_FILE = 'rabbitmq/inter_node_tls.config';

/**
 * The boot definitions: generated at `path`, mounted read-only at `staged` (readable by root only,
 * like the 0600 file on the host), and installed by entrypoint.sh at `installed`, where
 * rabbitmq.conf points, as a 0400 file of the rabbitmq user (a bind-mounted host file keeps the
 * host's owner and mode, which the rabbitmq user could not read).
 */
export const BOOT_DEFINITIONS = {
  path: 'rabbitmq/definitions.json',
  staged: '/etc/rabbitmq-compose/definitions.json',
  installed: '/etc/rabbitmq/definitions.json',
} as const;

/** nginx.conf of a load balancer: one upstream and server per listener. */
export function nginxConf(model: ClusterModel, header: string): RenderedFile {
  const lb = model.loadBalancer!;
  const addressOf = new Map(model.hosts.map((h) => [h.name, h.address]));
  const tls = model.tls;
  const listeners = lb.listeners.map((listener) => ({
    protocol: listener.protocol,
    port: listener.port,
    terminate: tls?.clients === 'terminate' && isTlsProtocol(listener.protocol),
    passthrough: tls?.clients === 'passthrough' && isTlsProtocol(listener.protocol),
    servers: model.nodes.map((node) =>
      model.multiHost ? `${addressOf.get(node.host)}:${node.ports[listener.protocol] ?? listener.backendPort}` : `${node.address}:${listener.backendPort}`,
    ),
  }));
  return file(
    'nginx/nginx.conf',
    renderTemplate('nginx.conf.hbs', {
      header,
      listeners,
      virtualIp: lb.keepalived ? lb.keepalived.virtualIp.split('/')[0] : null,
      maxFails: lb.maxFails,
      failTimeout: lb.failTimeout,
      connectTimeout: lb.connectTimeout,
      idleTimeout: lb.idleTimeout,
      heartbeat: model.rabbitmq.heartbeatSeconds,
      tls: tls ? { dir: NGINX_TLS_DIR, backendName: backendName(model) } : null,
    }),
  );
}

const isTlsProtocol = (protocol: string) => protocol in TLS_PROTOCOLS;

/** keepalived.conf of one LB instance, plus the scripts its container runs. */
export function keepalivedFiles(model: ClusterModel, instance: LbInstanceModel, header: string): RenderedFile[] {
  const lb = model.loadBalancer!;
  const k = lb.keepalived!;
  const conf = renderTemplate('keepalived.conf.hbs', {
    header,
    instance: instance.name,
    routerId: `rmq_${model.name}_${instance.name}`.replace(/-/g, '_'),
    instanceName: `VI_${model.name}`.replace(/-/g, '_').toUpperCase(),
    checkPort: lb.listeners[0]!.port,
    state: instance.state,
    interface: k.interface,
    virtualRouterId: k.virtualRouterId,
    priority: instance.priority,
    address: instance.address,
    peers: lb.instances.filter((i) => i.name !== instance.name).map((i) => i.address),
    virtualIp: k.virtualIp,
  });
  return [file(`keepalived/${instance.name}.conf`, conf)];
}

export function keepalivedSupportFiles(model: ClusterModel): RenderedFile[] {
  const files = [
    file('keepalived/start.sh', readStaticTemplate('keepalived-start.sh'), 0o755),
    file('keepalived/check-nginx.sh', readStaticTemplate('check-nginx.sh'), 0o755),
  ];
  if (!model.loadBalancer!.keepalived!.image) {
    files.push(file('keepalived/Dockerfile', readStaticTemplate('keepalived.Dockerfile')));
    // the Dockerfile copies debs/ (the offline cache), so the folder must exist even when empty
    files.push(file('keepalived/debs/README.md', readStaticTemplate('keepalived-debs-README.md')));
  }
  return files;
}

/**
 * rabbitmq.conf, enabled_plugins and the cookie-installing entrypoint for the nodes, and the boot
 * definitions when the spec has some (`definitionsJson`: the file with the default user added).
 */
export function rabbitmqFiles(model: ClusterModel, header: string, definitionsJson: string | undefined): RenderedFile[] {
  const r = model.rabbitmq;
  const t = model.tls;
  if ((r.definitionsFile === undefined) !== (definitionsJson === undefined)) throw new Error('rabbitmq.definitions and the definitions to write go together');
  const files = [
    file(
      'rabbitmq/rabbitmq.conf',
      renderTemplate('rabbitmq.conf.hbs', {
        header,
        name: model.name,
        version: r.version.text,
        image: r.image,
        formation: r.formation,
        heartbeat: r.heartbeatSeconds,
        diskFreeLimit: r.diskFreeLimit,
        partitionHandling: r.partitionHandling ?? null,
        defaultQueueType: r.defaultQueueType ?? null,
        relaxedRedeclaration: r.defaultQueueType === 'quorum',
        autoFormation: r.formation === 'auto',
        nodes: model.nodes.map((n) => ({ index: n.index + 1, erlangNode: n.erlangNode })),
        mqtt: r.plugins.includes('rabbitmq_mqtt'),
        definitions:
          definitionsJson === undefined
            ? null
            : { path: BOOT_DEFINITIONS.installed, modern: hasDefinitionsBackend(r.version), clusterSize: model.nodes.length },
        plainClosed: t?.disableNonTls ?? false,
        tls: t ? { disableNonTls: t.disableNonTls, clientCertificates: t.clientCertificates, management: t.management, paths: NODE_TLS_PATHS } : null,
      }),
    ),
    // Erlang term file: the list of plugins, ending with a dot.
    file('rabbitmq/enabled_plugins', `[${r.plugins.join(',')}].\n`),
    file(
      'rabbitmq/entrypoint.sh',
      renderTemplate('rabbitmq-entrypoint.sh.hbs', {
        definitions: definitionsJson === undefined ? null : BOOT_DEFINITIONS,
        tls: t ? { staged: NODE_TLS_STAGED, installed: NODE_TLS_INSTALLED, names: Object.values(NODE_TLS_NAMES).join(' '), interNode: t.interNode } : null,
      }),
      0o755,
    ),
  ];
  if (t?.interNode) files.push(file(INTER_NODE_TLS_FILE, renderTemplate('inter-node-tls.config.hbs', { header, paths: NODE_TLS_PATHS })));
  if (definitionsJson !== undefined) files.push(privateFile(BOOT_DEFINITIONS.path, definitionsJson));
  if (r.formation === 'auto' && model.nodes.some((n) => n.type === 'ram')) {
    files.push(
      file(
        'rabbitmq/ram-node.conf',
        `# ${header}\n# Mounted on RAM nodes only: they join the cluster as RAM nodes at boot.\ncluster_formation.node_type = ram\n`,
      ),
    );
  }
  return files;
}
