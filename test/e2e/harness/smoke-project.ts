import { renderTemplate } from '../../../generator/render/templates.js';
import type { ProjectFiles } from './cleanup.js';

/**
 * The engine smoke test's hand-written project: two 2-node clusters (3.x image, 4.x image) formed by
 * classic_config peer discovery, and per image a keepalived container holding a VIP with nginx in
 * its network namespace proxying AMQP. Same mechanisms as the generator's output (cookie wrapper,
 * command overrides on the RabbitMQ image for the load balancer, fixed subnet), no generator code.
 */
export const SUBNET = '10.199.213';
export const COOKIE = 'RMQTSMOKECOOKIEABCDEFGHIJKLMNOPQRSTUVWXYZ0123';
export const ADMIN = { user: 'admin', pass: 'smoke-admin-pass' };

export const VIPS = { v3: `${SUBNET}.100`, v4: `${SUBNET}.101` };

// the generator's own cookie wrapper (templates/), so the smoke test proves the shipped mechanism
const ENTRYPOINT = renderTemplate('rabbitmq-entrypoint.sh.hbs', { definitions: null });

const rabbitmqConf = (prefix: string) => `cluster_formation.peer_discovery_backend = classic_config
cluster_formation.classic_config.nodes.1 = rabbit@${prefix}a
cluster_formation.classic_config.nodes.2 = rabbit@${prefix}b
log.console = true
log.file = false
mqtt.listeners.tcp.default = 1883
`;

const keepalivedConf = (name: string, vrid: number, vip: string) => `global_defs {
    router_id rmqt_${name}
}
vrrp_instance VI_${name} {
    state MASTER
    interface eth0
    virtual_router_id ${vrid}
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass smokepw
    }
    virtual_ipaddress {
        ${vip}/24 dev eth0
    }
}
`;

/** The brief's form: the module by relative path (Debian's prefix links modules/ to /usr/lib/nginx/modules). */
const nginxConf = (prefix: string) => `load_module modules/ngx_stream_module.so;
worker_processes 1;
error_log stderr notice;
pid /tmp/nginx.pid;
events { worker_connections 256; }
stream {
    upstream amqp {
        server ${prefix}a:5672 max_fails=3 fail_timeout=10s;
        server ${prefix}b:5672 max_fails=3 fail_timeout=10s;
    }
    server {
        listen 5670 so_keepalive=on;
        proxy_connect_timeout 60s;
        proxy_timeout 60s;
        tcp_nodelay on;
        proxy_pass amqp;
    }
}
`;

/** The generator's form: Debian's modules-enabled include instead of load_module. */
export const NGINX_INCLUDE_CONF = `include /etc/nginx/modules-enabled/*.conf;
pid /tmp/nginx-include.pid;
events {}
stream { server { listen 5671; return "ok"; } }
`;

function rabbit(image: string, host: string, prefix: string, nofile: number): string {
  return `  ${host}:
    image: ${image}
    hostname: ${host}
    entrypoint: ["/bin/sh", "/etc/rmqt/entrypoint.sh"]
    command: ["rabbitmq-server"]
    environment:
      RMQ_COMPOSE_ERLANG_COOKIE: ${COOKIE}
      RABBITMQ_DEFAULT_USER: ${ADMIN.user}
      RABBITMQ_DEFAULT_PASS: ${ADMIN.pass}
    volumes:
      - ./entrypoint.sh:/etc/rmqt/entrypoint.sh:ro
      - ./rabbitmq-${prefix}.conf:/etc/rabbitmq/rabbitmq.conf:ro
      - ./enabled_plugins:/etc/rabbitmq/enabled_plugins:ro
      - ${host}-data:/var/lib/rabbitmq
      - ${host}-logs:/var/log/rabbitmq
    ulimits:
      nofile: { soft: ${nofile}, hard: ${nofile} }
    networks: [net]
`;
}

function loadBalancer(image: string, name: string, address: string, prefix: string): string {
  // only the command is overridden: the image's entrypoint passes non-rabbitmq commands through
  return `  ka${name}:
    image: ${image}
    command: ["keepalived", "--dont-fork", "--log-console", "--log-detail", "--use-file", "/etc/keepalived/keepalived.conf"]
    cap_add: [NET_ADMIN, NET_BROADCAST, NET_RAW]
    volumes:
      - ./keepalived-${name}.conf:/etc/keepalived/keepalived.conf:ro
    networks:
      net:
        ipv4_address: ${address}
  nginx${name}:
    image: ${image}
    command: ["nginx", "-g", "daemon off;", "-c", "/etc/nginx/lb.conf"]
    volumes:
      - ./nginx-${name}.conf:/etc/nginx/lb.conf:ro
      - ./nginx-include.conf:/etc/nginx/include-test.conf:ro
    network_mode: "service:ka${name}"
    # nginx resolves upstream names when it loads its config
    depends_on: [ka${name}, ${prefix}a, ${prefix}b]
`;
}

/**
 * `nofile`: the generator's 65536, capped at what the engine allows (a private dockerd in a sandbox
 * without CAP_SYS_RESOURCE keeps the shell's hard limit).
 */
export function smokeProjectFiles(images: { v3: string; v4: string }, nofile = 65536): ProjectFiles {
  const volumes = ['r3a', 'r3b', 'r4a', 'r4b'].flatMap((h) => [`  ${h}-data: {}`, `  ${h}-logs: {}`]).join('\n');
  const compose = `services:
${rabbit(images.v3, 'r3a', 'r3', nofile)}${rabbit(images.v3, 'r3b', 'r3', nofile)}${rabbit(images.v4, 'r4a', 'r4', nofile)}${rabbit(images.v4, 'r4b', 'r4', nofile)}${loadBalancer(images.v3, '3', `${SUBNET}.2`, 'r3')}${loadBalancer(images.v4, '4', `${SUBNET}.3`, 'r4')}networks:
  net:
    driver: bridge
    ipam:
      config:
        - subnet: ${SUBNET}.0/24
          # dynamic addresses only from the upper half: a node started first would otherwise
          # take .2 or .3 and the fixed-address containers fail with "Address already in use"
          ip_range: ${SUBNET}.128/25
volumes:
${volumes}
`;
  return {
    'compose.yaml': compose,
    'entrypoint.sh': ENTRYPOINT,
    'rabbitmq-r3.conf': rabbitmqConf('r3'),
    'rabbitmq-r4.conf': rabbitmqConf('r4'),
    enabled_plugins: '[rabbitmq_management,rabbitmq_mqtt].\n',
    'keepalived-3.conf': keepalivedConf('3', 213, VIPS.v3),
    'keepalived-4.conf': keepalivedConf('4', 214, VIPS.v4),
    'nginx-3.conf': nginxConf('r3'),
    'nginx-4.conf': nginxConf('r4'),
    'nginx-include.conf': NGINX_INCLUDE_CONF,
  };
}
