import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterManifest, ManifestTls } from '../../../contract/manifest.js';
import { fakeManifest } from '../../support/memory-ops.js';

/** The manifest's `tls` section as the generator writes it for generated certificates. */
export function tlsSection(o: Partial<ManifestTls> = {}): ManifestTls {
  return {
    clients: 'passthrough',
    disableNonTls: false,
    interNode: false,
    clientCertificates: false,
    certificates: 'generated',
    caFile: 'tls/ca.pem',
    caKeyFile: 'tls/ca.key',
    nodes: Object.fromEntries([1, 2, 3].map((n) => [`rabbit${n}`, { certFile: `tls/rabbit${n}.pem`, keyFile: `tls/rabbit${n}.key` }])),
    names: [],
    ...o,
  };
}

/** fakeManifest with `tls` and each node's ports as given (one local machine). */
export function tlsManifest(ports: (n: number) => ClusterManifest['nodes'][number]['ports'], tls: Partial<ManifestTls> = {}): ClusterManifest {
  const m = fakeManifest('secure');
  m.nodes = m.nodes.map((node, i) => ({ ...node, ports: ports(i + 1) }));
  m.tls = tlsSection(tls);
  return m;
}

/** Puts the CA where the manifest says it is. */
export async function writeCa(dir: string, pem: string, file = 'tls/ca.pem'): Promise<void> {
  await mkdir(join(dir, file, '..'), { recursive: true });
  await writeFile(join(dir, file), pem);
}
