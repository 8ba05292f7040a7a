import {
  CA_CERT_FILE,
  CA_KEY_FILE,
  LB_CERT_FILE,
  LB_KEY_FILE,
  NGINX_TLS_DIR,
  NODE_TLS_INSTALLED,
  NODE_TLS_NAMES,
  NODE_TLS_STAGED,
  nodeCertFile,
  nodeKeyFile,
} from '../../contract/tls/layout.js';
import type { ClusterModel, HostModel, NodeModel } from '../spec/model.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import type { FileMount } from './compose/file-delivery.js';
import { file, privateFile, type RenderedFile } from './rendered-file.js';

/**
 * The TLS files one machine needs, beside its compose file: the CA, its nodes' certificates and
 * keys, nginx's pair when it terminates TLS there. Keys are private files (0600, git-ignored).
 */
export function tlsHostFiles(model: ClusterModel, host: HostModel, material: TlsMaterial): RenderedFile[] {
  const runsLb = model.loadBalancer?.instances.some((i) => i.host === host.name) ?? false;
  return certificateFiles(
    material,
    model.nodes.filter((n) => n.host === host.name),
    runsLb,
  );
}

/** The CA, these nodes' certificates and keys, and nginx's pair when asked and there is one. */
function certificateFiles(material: TlsMaterial, nodes: readonly NodeModel[], withLb: boolean): RenderedFile[] {
  const files: RenderedFile[] = [file(CA_CERT_FILE, material.caPem)];
  for (const node of nodes) {
    const pair = material.nodes[node.name]!;
    files.push(file(nodeCertFile(node.name), pair.certPem), privateFile(nodeKeyFile(node.name), pair.keyPem));
  }
  if (withLb && material.loadBalancer) files.push(file(LB_CERT_FILE, material.loadBalancer.certPem), privateFile(LB_KEY_FILE, material.loadBalancer.keyPem));
  return files;
}

/**
 * What stays at the top of the cluster folder: the CA's key (generated certificates; it signs
 * what rotate-certs issues, and no container ever gets it) and, across machines, every
 * certificate and key, which gen and rotate-certs read back (the machines' folders hold copies).
 */
export function tlsStateFiles(model: ClusterModel, material: TlsMaterial): RenderedFile[] {
  const files: RenderedFile[] = [];
  if (material.caKeyPem !== undefined) files.push(privateFile(CA_KEY_FILE, material.caKeyPem));
  if (!model.multiHost) return files;
  return [...files, ...certificateFiles(material, model.nodes, true)];
}

/** A node container's TLS mounts: staged read-only, installed for the rabbitmq user by entrypoint.sh. */
export function nodeTlsMounts(node: string): FileMount[] {
  return [
    { path: CA_CERT_FILE, target: `${NODE_TLS_STAGED}/${NODE_TLS_NAMES.ca}` },
    { path: nodeCertFile(node), target: `${NODE_TLS_STAGED}/${NODE_TLS_NAMES.cert}` },
    { path: nodeKeyFile(node), target: `${NODE_TLS_STAGED}/${NODE_TLS_NAMES.key}` },
  ];
}

/** nginx's TLS mounts (terminate): its pair, and the CA it checks the brokers against. */
export function nginxTlsMounts(): FileMount[] {
  return [
    { path: CA_CERT_FILE, target: `${NGINX_TLS_DIR}/ca.pem` },
    { path: LB_CERT_FILE, target: `${NGINX_TLS_DIR}/lb.pem` },
    { path: LB_KEY_FILE, target: `${NGINX_TLS_DIR}/lb.key` },
  ];
}

/** Where rabbitmq.conf and the ssl_dist file point: the installed copies. */
export const NODE_TLS_PATHS = {
  ca: `${NODE_TLS_INSTALLED}/${NODE_TLS_NAMES.ca}`,
  cert: `${NODE_TLS_INSTALLED}/${NODE_TLS_NAMES.cert}`,
  key: `${NODE_TLS_INSTALLED}/${NODE_TLS_NAMES.key}`,
} as const;
