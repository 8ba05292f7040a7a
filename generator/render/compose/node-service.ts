import type { ClusterModel, NodeModel } from '../../spec/model.js';
import { logRotation, NETWORK, nofileLimit, requiredVariable, type ComposeService } from './compose-types.js';
import { NODE_MEMORY_CONF_TARGET, nodeMemoryPath } from '../node-memory.js';
import type { FileDelivery, FileMount } from './file-delivery.js';
import { BOOT_DEFINITIONS, INTER_NODE_TLS_FILE } from '../config-files.js';
import { SSL_DIST_FILE } from '../../../contract/tls/layout.js';
import { nodeTlsMounts } from '../tls-files.js';
import { composePorts } from '../host-ports.js';

/**
 * Inter-node TLS (rabbitmq.com/docs/clustering-ssl): the node and every CLI tool run in this
 * container (`docker compose exec … rabbitmqctl`, the healthcheck) speak Erlang distribution over
 * TLS with the options file; a CLI tool without them could not reach its own node.
 */
const INTER_NODE_TLS_ERL_ARGS = `-proto_dist inet_tls -ssl_dist_optfile ${SSL_DIST_FILE}`;
const INTER_NODE_TLS_ENV = { RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: INTER_NODE_TLS_ERL_ARGS, RABBITMQ_CTL_ERL_ARGS: INTER_NODE_TLS_ERL_ARGS };

export function nodeService(model: ClusterModel, node: NodeModel, files: FileDelivery): ComposeService {
  const r = model.rabbitmq;
  const mounts: FileMount[] = [
    { path: 'rabbitmq/rabbitmq.conf', target: '/etc/rabbitmq/rabbitmq.conf' },
    { path: 'rabbitmq/enabled_plugins', target: '/etc/rabbitmq/enabled_plugins' },
    { path: 'rabbitmq/entrypoint.sh', target: '/etc/rabbitmq-compose/entrypoint.sh' },
    { path: nodeMemoryPath(node), target: NODE_MEMORY_CONF_TARGET },
  ];
  if (r.definitionsFile !== undefined) mounts.push({ path: BOOT_DEFINITIONS.path, target: BOOT_DEFINITIONS.staged });
  if (model.tls) mounts.push(...nodeTlsMounts(node.name));
  if (model.tls?.interNode) mounts.push({ path: INTER_NODE_TLS_FILE, target: SSL_DIST_FILE });
  if (node.type === 'ram' && r.formation === 'auto') {
    mounts.push({ path: 'rabbitmq/ram-node.conf', target: '/etc/rabbitmq/conf.d/20-rmq-compose-node-type.conf' });
  }

  const service: ComposeService = {
    image: r.image,
    hostname: node.name,
    entrypoint: ['/bin/sh', '/etc/rabbitmq-compose/entrypoint.sh'],
    command: ['rabbitmq-server'],
    environment: {
      RABBITMQ_NODENAME: node.erlangNode,
      RABBITMQ_DEFAULT_USER: r.defaultUser.kind === 'plain' ? r.defaultUser.value : requiredVariable(r.defaultUser.variable),
      RABBITMQ_DEFAULT_PASS: requiredVariable(r.defaultPass.variable),
      RMQ_COMPOSE_ERLANG_COOKIE: requiredVariable(r.erlangCookie.variable),
      ...(model.tls?.interNode ? INTER_NODE_TLS_ENV : {}),
    },
    // bound to 127.0.0.1 on one machine, to the machine's address across machines (host-ports.ts)
    ports: composePorts(model, node.host, node.name),
    // no volume for /var/log/rabbitmq: the nodes log to the console only (log.file = false), which
    // Docker keeps and rotates (logging below)
    ...files.mount(node.name, mounts, [`${node.name}-data:/var/lib/rabbitmq`]),
    networks: { [NETWORK]: node.address ? { ipv4_address: node.address } : null },
    healthcheck: {
      test: ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'],
      interval: '10s',
      timeout: '10s',
      retries: 6,
      start_period: '60s',
    },
    restart: 'unless-stopped',
    // lets RabbitMQ finish writes and hand queues over before Docker kills it
    stop_grace_period: '60s',
    ...nofileLimit(model.nofile),
    ...(node.memory.limitBytes !== undefined ? { mem_limit: node.memory.limitBytes, memswap_limit: node.memory.limitBytes } : {}),
    ...logRotation(model.logging),
    labels: { 'io.rmq-compose.cluster': model.name, 'io.rmq-compose.role': 'node', 'io.rmq-compose.node-type': node.type },
  };
  if (model.multiHost) service.extra_hosts = peerHosts(model, node);
  const first = model.nodes[0]!;
  // manual formation joins everyone to the first node, so it must be up first
  if (r.formation === 'manual' && node.name !== first.name && node.host === first.host) {
    service.depends_on = { [first.name]: { condition: 'service_healthy' } };
  }
  return service;
}

/** Other machines' nodes by address: the seed's LAN layout, without `--link`. */
function peerHosts(model: ClusterModel, node: NodeModel): string[] {
  const addressOf = new Map(model.hosts.map((h) => [h.name, h.address]));
  return model.nodes.filter((n) => n.name !== node.name).map((n) => `${n.name}:${addressOf.get(n.host)}`);
}
