import type { ClusterModel, LbInstanceModel } from '../../spec/model.js';
import { lbServiceNames } from '../manifest.js';
import { logRotation, NETWORK, nofileLimit, type ComposeService } from './compose-types.js';
import type { FileDelivery } from './file-delivery.js';
import { nginxTlsMounts } from '../tls-files.js';
import { composePorts } from '../host-ports.js';

/** VRRP needs to add the VIP, send raw adverts and gratuitous ARP: nothing more, no `privileged`. */
const VRRP_CAPABILITIES = ['NET_ADMIN', 'NET_BROADCAST', 'NET_RAW'];
/** The image `keepalived/Dockerfile` builds: named after what it pins (keepalived 2.3.3 on Debian 13.8). */
export const KEEPALIVED_BUILD_IMAGE = 'rmq-compose/keepalived:2.3.3-debian13.8';

/** nginx (and keepalived when there is a VIP) for one load balancer instance. */
export function lbServices(model: ClusterModel, instance: LbInstanceModel, files: FileDelivery): Record<string, ComposeService> {
  const lb = model.loadBalancer!;
  const names = lbServiceNames(model, instance.name);
  const labels = { 'io.rmq-compose.cluster': model.name, 'io.rmq-compose.role': 'load-balancer', 'io.rmq-compose.lb': instance.name };
  const nginx: ComposeService = {
    image: lb.image,
    command: ['nginx', '-g', 'daemon off;'],
    ...files.mount(names.nginx, [{ path: 'nginx/nginx.conf', target: '/etc/nginx/nginx.conf' }, ...(model.tls?.clients === 'terminate' ? nginxTlsMounts() : [])]),
    healthcheck: nginxHealthcheck(lb.listeners[0]!.port),
    restart: 'unless-stopped',
    ...nofileLimit(model.nofile),
    ...logRotation(model.logging),
    labels,
  };
  const services: Record<string, ComposeService> = {};
  if (!names.keepalived) {
    Object.assign(nginx, clusterNetworkAttachment(model, instance));
    nginx.ports = composePorts(model, instance.host, names.nginx);
    services[names.nginx] = nginx;
    return services;
  }
  const keepalived = keepalivedService(model, instance, names.keepalived, labels, files);
  if (lb.networkMode === 'host') {
    nginx.network_mode = 'host';
    keepalived.network_mode = 'host';
  } else {
    // A third container owns the network namespace and keepalived and nginx both join it: a
    // container that joined another's namespace is cut off for good when that one restarts (it
    // stays in the old, empty namespace). So neither may own it: stopping keepalived must leave
    // nginx reachable once keepalived is back, and killing nginx must leave keepalived alive to
    // notice (chk_nginx) and hand the VIP over.
    // the nginx image: pulled anyway, has a shell, and needs no build like keepalived's may
    const holder = { ...netnsHolder(lb.image, labels), ...logRotation(model.logging) };
    Object.assign(holder, clusterNetworkAttachment(model, instance));
    // The VIP lives on the cluster network, reachable from this machine only; other machines
    // need host ports, which only the first instance publishes (host-ports.ts).
    const published = composePorts(model, instance.host, names.netns!);
    if (published.length > 0) holder.ports = published;
    services[names.netns!] = holder;
    for (const joined of [keepalived, nginx]) {
      joined.network_mode = `service:${names.netns}`;
      joined.depends_on = { [names.netns!]: { condition: 'service_started' } };
    }
  }
  services[names.keepalived] = keepalived;
  services[names.nginx] = nginx;
  return services;
}

/** Holds the namespace and does nothing; exits at once on `docker stop` (a shell as pid 1 ignores SIGTERM unless it traps it). */
function netnsHolder(image: string, labels: Record<string, string>): ComposeService {
  return {
    image,
    // a literal `$!`: written as `$$!` like every `$` in a compose value
    entrypoint: ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while true; do sleep 3600 & wait $!; done'],
    restart: 'unless-stopped',
    labels,
  };
}

function keepalivedService(model: ClusterModel, instance: LbInstanceModel, name: string, labels: Record<string, string>, files: FileDelivery): ComposeService {
  const k = model.loadBalancer!.keepalived!;
  const service: ComposeService = k.image ? { image: k.image } : { image: KEEPALIVED_BUILD_IMAGE, build: { context: './keepalived' } };
  return {
    ...service,
    entrypoint: ['/bin/sh', '/etc/keepalived/start.sh'],
    cap_add: VRRP_CAPABILITIES,
    ...files.mount(name, [
      { path: `keepalived/${instance.name}.conf`, target: '/etc/keepalived/keepalived.conf' },
      { path: 'keepalived/start.sh', target: '/etc/keepalived/start.sh' },
      { path: 'keepalived/check-nginx.sh', target: '/etc/keepalived/check-nginx.sh' },
    ]),
    restart: 'unless-stopped',
    ...logRotation(model.logging),
    labels,
  };
}

/**
 * Healthy while nginx listens on the first listener's port. Read from the kernel's socket table
 * (/proc/net/tcp: local address 00000000:<port in hex>, state 0A = LISTEN) rather than by
 * connecting: the official alpine image has no bash for /dev/tcp and busybox nc may lack -z, and a
 * probe connection would reach a broker and show in its logs. grep is in every nginx image.
 */
export function nginxHealthcheck(port: number): NonNullable<ComposeService['healthcheck']> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return {
    test: ['CMD', 'grep', '-Eq', `^ *[0-9]+: [0-9A-F]{8}:${hex} [0-9A-F]{8}:0000 0A `, '/proc/net/tcp'],
    interval: '10s',
    timeout: '5s',
    retries: 3,
    start_period: '10s',
  };
}

function clusterNetworkAttachment(model: ClusterModel, instance: LbInstanceModel): Pick<ComposeService, 'networks'> {
  return { networks: { [NETWORK]: instance.address && model.network.subnet ? { ipv4_address: instance.address } : null } };
}
