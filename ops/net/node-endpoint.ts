import type { ClusterManifest, ManifestNode } from '../../contract/manifest.js';
import type { NodePortName } from '../../contract/ports.js';

export interface Endpoint {
  address: string;
  port: number;
}

/**
 * Where ops reaches a port a node publishes: a machine of a `hosts:` layout publishes on its own
 * address only, even to itself; a local engine's published ports answer on 127.0.0.1. Undefined
 * when the node does not publish the protocol, or its machine is remote and has no address.
 */
export function publishedEndpoint(manifest: ClusterManifest, node: ManifestNode, protocol: NodePortName): Endpoint | undefined {
  const port = node.ports[protocol];
  if (!port) return undefined;
  const host = manifest.hosts.find((h) => h.name === node.host);
  if (host?.address) return { address: host.address, port };
  if (host && !host.docker) return { address: '127.0.0.1', port };
  return undefined;
}

/** The address a node's certificate is expected to carry: its machine's address, else its own (container) address. */
export function nodeAddress(manifest: ClusterManifest, node: ManifestNode): string | undefined {
  return manifest.hosts.find((h) => h.name === node.host)?.address ?? node.address;
}
