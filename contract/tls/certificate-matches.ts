import { isIP } from 'node:net';
import type { CertificateInfo } from './inspect-certificate.js';

/** What a node's certificate has to say about the node: its name (`rabbit@host` or the host) and address. */
export interface NodeIdentity {
  nodeName: string;
  /** The node's host address; an IP is looked for among the IP SANs, a host name among the DNS SANs. */
  address?: string;
}

/**
 * RFC 6125 matching, as TLS clients do it: case-insensitive, and a wildcard only as the whole
 * leftmost label, standing for exactly one label (`*.mq.example` matches `a.mq.example`, not
 * `mq.example` or `a.b.mq.example`).
 */
export function dnsNameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

const list = (values: readonly string[]) => (values.length === 0 ? 'it has none' : values.join(', '));

/**
 * Why this certificate does not fit this node, one plain sentence each; empty when it fits.
 * A node's certificate must name the node's host among its DNS names (with peer verification on,
 * a node or CLI tool dialing `rabbit@host` checks `host` against them), carry the node's address, not be a CA, and
 * allow both serverAuth and clientAuth (each node dials its peers and accepts them).
 */
export function certificateMatches(info: CertificateInfo, node: NodeIdentity): string[] {
  const problems: string[] = [];
  const host = node.nodeName.includes('@') ? node.nodeName.slice(node.nodeName.indexOf('@') + 1) : node.nodeName;

  if (info.dnsNames.length === 0 && info.ipAddresses.length === 0) {
    problems.push(`the certificate has no subjectAltName; TLS peers look for ${host} there, not in the common name (${info.subjectCommonName ?? 'none'})`);
  } else if (!info.dnsNames.some((name) => dnsNameMatches(name, host))) {
    problems.push(`${host} (the node's host name) is not among the certificate's DNS names (${list(info.dnsNames)})`);
  }

  const address = node.address?.trim();
  if (address) {
    if (isIP(address)) {
      if (!info.ipAddresses.some((ip) => ip.toLowerCase() === address.toLowerCase())) {
        problems.push(`${address} (the node's address) is not among the certificate's IP addresses (${list(info.ipAddresses)})`);
      }
    } else if (address.toLowerCase() !== host.toLowerCase() && !info.dnsNames.some((name) => dnsNameMatches(name, address))) {
      problems.push(`${address} (the node's address) is not among the certificate's DNS names (${list(info.dnsNames)})`);
    }
  }

  if (info.isCa) problems.push('the certificate is a CA certificate (CA:TRUE), not a node certificate');

  if (info.extendedKeyUsages) {
    const missing = ['serverAuth', 'clientAuth'].filter((usage) => !info.extendedKeyUsages!.includes(usage));
    if (missing.length > 0) {
      problems.push(
        `the certificate's extendedKeyUsage lacks ${missing.join(' and ')}; a node needs both, since it accepts its peers' connections and dials them`,
      );
    }
  }
  return problems;
}
