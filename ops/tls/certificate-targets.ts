import { isIP } from 'node:net';
import type { ClusterManifest } from '../../contract/manifest.js';
import { TLS_PROTOCOLS, type NodePortName } from '../../contract/ports.js';
import type { NodeIdentity } from '../../contract/tls/index.js';
import { nodeAddress, publishedEndpoint } from '../net/node-endpoint.js';

/** One TLS port whose certificate status reads, and what that certificate must say. */
export interface CertificateTarget {
  subject: string;
  kind: 'node' | 'load-balancer';
  address: string;
  port: number;
  protocol: NodePortName;
  /** SNI: the node's name, or the first DNS name clients use for the load balancer. */
  servername?: string;
  /** A node's certificate names the node; a listener's carries every name clients reach the cluster by. */
  identity: { node: NodeIdentity } | { names: string[] };
}

/** A node's certificate is the same on each of its TLS ports: the first it publishes is read. */
const NODE_ORDER: readonly NodePortName[] = ['amqps', 'https', 'mqtts'];

const isTls = (protocol: NodePortName) => TLS_PROTOCOLS[protocol] !== undefined;

/**
 * Where status reads served certificates, from the manifest alone; empty without `tls`. Nodes
 * on the address the management API uses; load balancer listeners at the VIP when there is one,
 * else at each instance (127.0.0.1 for one local machine without keepalived), as the listener
 * check probes them.
 */
export function certificateTargets(manifest: ClusterManifest): CertificateTarget[] {
  const tls = manifest.tls;
  if (!tls) return [];
  const targets: CertificateTarget[] = [];
  for (const node of manifest.nodes) {
    for (const protocol of NODE_ORDER) {
      const at = publishedEndpoint(manifest, node, protocol);
      if (!at) continue;
      const address = nodeAddress(manifest, node);
      targets.push({
        subject: node.name,
        kind: 'node',
        ...at,
        protocol,
        servername: node.name,
        identity: { node: { nodeName: node.name, ...(address ? { address } : {}) } },
      });
      break;
    }
  }
  const lb = manifest.loadBalancer;
  const listeners = (lb?.listeners ?? []).filter((l) => isTls(l.protocol));
  if (!lb || listeners.length === 0) return targets;
  const vip = lb.virtualIp?.split('/')[0];
  const names = [...new Set([...(vip ? [vip] : []), ...tls.names])];
  const servername = tls.names.find((n) => !isIP(n));
  const places: Array<{ name: string | undefined; address: string }> = [];
  if (vip) places.push({ name: undefined, address: vip });
  else {
    for (const inst of lb.instances) {
      const host = manifest.hosts.find((h) => h.name === inst.host);
      const local = manifest.hosts.length === 1 && !host?.docker;
      const address = local && !inst.keepalivedService ? '127.0.0.1' : (inst.address ?? host?.address);
      if (address) places.push({ name: lb.instances.length > 1 ? inst.name : undefined, address });
    }
  }
  for (const place of places) {
    for (const l of listeners) {
      targets.push({
        subject: `${place.name ?? 'lb'}:${l.port}`,
        kind: 'load-balancer',
        address: place.address,
        port: l.port,
        protocol: l.protocol,
        ...(servername ? { servername } : {}),
        identity: { names },
      });
    }
  }
  return targets;
}
