import { join } from 'node:path';
import { CA_CERT_FILE, CA_KEY_FILE, LB_CERT_FILE, LB_KEY_FILE, nodeCertFile, nodeKeyFile } from '../../contract/tls/layout.js';
import { refuseUnsafePaths } from '../write/path-safety.js';
import { readIfExists } from '../../lib/read-if-exists.js';

/** What the cluster folder's tls/ holds now; a missing file is undefined. */
export interface TlsFolder {
  caPem: string | undefined;
  caKeyPem: string | undefined;
  nodes: Record<string, { certPem: string | undefined; keyPem: string | undefined }>;
  loadBalancer: { certPem: string | undefined; keyPem: string | undefined };
}

/** Reads the generated certificates back (never through a symbolic link), so gen keeps them. */
export async function readTlsFolder(clusterDir: string, nodeNames: readonly string[]): Promise<TlsFolder> {
  const paths = [CA_CERT_FILE, CA_KEY_FILE, LB_CERT_FILE, LB_KEY_FILE, ...nodeNames.flatMap((n) => [nodeCertFile(n), nodeKeyFile(n)])];
  await refuseUnsafePaths(clusterDir, paths);
  const read = (path: string) => readIfExists(join(clusterDir, path));
  const nodes: TlsFolder['nodes'] = {};
  for (const name of nodeNames) nodes[name] = { certPem: await read(nodeCertFile(name)), keyPem: await read(nodeKeyFile(name)) };
  return {
    caPem: await read(CA_CERT_FILE),
    caKeyPem: await read(CA_KEY_FILE),
    nodes,
    loadBalancer: { certPem: await read(LB_CERT_FILE), keyPem: await read(LB_KEY_FILE) },
  };
}
