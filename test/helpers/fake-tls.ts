import type { TlsMaterial } from '../../generator/tls/tls-material.js';

/**
 * Stand-in certificates for rendering a spec with `tls:` in memory: the compose files only mount
 * them and the render never reads them. Real ones (nginx -t loads nginx's) come from gen.
 */
export function fakeTlsMaterial(nodes: readonly string[], terminate: boolean): TlsMaterial {
  const pair = (who: string) => ({ certPem: `not a certificate (${who})\n`, keyPem: `not a key (${who})\n` });
  return {
    caPem: 'not a CA\n',
    caKeyPem: undefined,
    nodes: Object.fromEntries(nodes.map((n) => [n, pair(n)])),
    loadBalancer: terminate ? pair('lb') : undefined,
    issued: [],
  };
}
