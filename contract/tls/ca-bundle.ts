import { verifiedBy } from './verified-by.js';

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of a CA bundle (tls/ca.pem), in order, each as its own PEM text. A bundle
 * holds two CAs during a CA rotation's overlap: the new one first (it signs), the previous one
 * after it (still trusted, so certificates it signed keep working until they are replaced).
 */
export function certificatesOf(bundle: string): string[] {
  return (bundle.match(BLOCK) ?? []).map((block) => `${block}\n`);
}

/** Whether any CA of the bundle signed `certPem`. */
export async function verifiedByBundle(certPem: string, bundle: string): Promise<boolean> {
  for (const ca of certificatesOf(bundle)) if (await verifiedBy(certPem, ca)) return true;
  return false;
}
