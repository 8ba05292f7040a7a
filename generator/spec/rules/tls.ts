import { TLS_PROTOCOLS } from '../../../contract/ports.js';
import type { Rule } from './rule.js';

const TLS_NAMES = new Set(Object.keys(TLS_PROTOCOLS));
const PLAIN_NAMES = new Set(Object.values(TLS_PROTOCOLS));

/** A TLS listener or port needs `tls:`, which says where the certificates come from. */
export const tlsProtocolsNeedTls: Rule = (model, findings) => {
  if (model.tls) return;
  for (const l of model.loadBalancer?.listeners ?? []) {
    if (TLS_NAMES.has(l.protocol))
      findings.error(
        `${l.path}.protocol`,
        `${l.protocol} needs TLS certificates: add tls: {} to the spec (generated certificates) or tls.certificates with your files`,
      );
  }
  for (const node of model.nodes) {
    for (const protocol of Object.keys(node.ports)) {
      if (TLS_NAMES.has(protocol))
        findings.error(`${node.path}.ports.${protocol}`, `nothing listens on ${protocol} without tls: in the spec; add tls: {} or remove this port`);
    }
  }
};

/**
 * nginx ends TLS in terminate mode, so the broker sees nginx's certificate, not the client's:
 * client-certificate authentication cannot work through it. The two are exclusive.
 */
export const terminateWithoutClientCertificates: Rule = (model, findings) => {
  const t = model.tls;
  if (t && t.clients === 'terminate' && t.clientCertificates) {
    findings.error(
      `${t.path}.clientCertificates`,
      "cannot be used with clients: terminate: nginx ends the TLS session, so the brokers never see the client's certificate; use clients: passthrough for client certificates, or drop clientCertificates",
    );
  }
};

/** `disableNonTls` closes the plain ports: nothing may still send clients to them. */
export const noPlainListenerWhenDisabled: Rule = (model, findings) => {
  const t = model.tls;
  if (!t?.disableNonTls) return;
  for (const l of model.loadBalancer?.listeners ?? []) {
    if (PLAIN_NAMES.has(l.protocol)) {
      const secure = Object.entries(TLS_PROTOCOLS).find(([, plain]) => plain === l.protocol)![0];
      findings.error(
        `${l.path}.protocol`,
        `${l.protocol} is plain text, and tls.disableNonTls closes it on every node; use ${secure} instead (or set disableNonTls: false)`,
      );
    } else if (l.protocol === 'stomp' || l.protocol === 'stream') {
      findings.error(
        `${l.path}.protocol`,
        `${l.protocol} has no TLS listener here, and tls.disableNonTls promises nothing in clear; remove this listener or set disableNonTls: false`,
      );
    }
  }
  for (const node of model.nodes) {
    for (const protocol of Object.keys(node.ports)) {
      if (PLAIN_NAMES.has(protocol as never))
        findings.error(`${node.path}.ports.${protocol}`, `tls.disableNonTls closes ${protocol} on every node; remove this port`);
    }
  }
};

export const httpsNeedsManagement: Rule = (model, findings) => {
  const t = model.tls;
  if (!t || t.management) return;
  for (const l of model.loadBalancer?.listeners ?? []) {
    if (l.protocol === 'https')
      findings.error(
        `${l.path}.protocol`,
        'https serves the management UI over TLS, which tls.management: false turns off; remove this listener or set management: true',
      );
  }
  if (t.disableNonTls && model.rabbitmq.plugins.includes('rabbitmq_management')) {
    findings.warn(
      `${t.path}.management`,
      'with disableNonTls and management: false, the management plugin listens nowhere, and status and check fall back to rabbitmqctl',
    );
  }
};

export const tlsNamesAreNames: Rule = (model, findings) => {
  for (const bad of model.tls?.badNames ?? []) {
    findings.error(
      bad.path,
      `"${bad.value}" is neither a DNS name (letters, digits, "-" and dots, no wildcard) nor an IPv4 address; certificates can only carry those`,
    );
  }
};

/** The user's own files must cover every node, and nginx's pair is needed (only) to terminate. */
export const tlsFilesCoverTheCluster: Rule = (model, findings) => {
  const t = model.tls;
  if (!t || t.certificates.kind !== 'files') return;
  const files = t.certificates;
  const path = `${t.path}.certificates`;
  for (const node of model.nodes) {
    if (!files.nodes[node.name]) findings.error(`${path}.nodes`, `has no certificate for node ${node.name}; add ${node.name}: { cert: <file>, key: <file> }`);
  }
  for (const name of Object.keys(files.nodes)) {
    if (!model.nodes.some((n) => n.name === name))
      findings.error(`${path}.nodes.${name}`, `there is no node named ${name} (nodes: ${model.nodes.map((n) => n.name).join(', ')})`);
  }
  if (t.clients === 'terminate' && model.loadBalancer && !files.loadBalancer) {
    findings.error(
      `${path}.loadBalancer`,
      'is required with clients: terminate: nginx presents its own certificate to clients; add loadBalancer: { cert: <file>, key: <file> }',
    );
  }
  if (t.clients === 'passthrough' && files.loadBalancer) {
    findings.warn(`${path}.loadBalancer`, 'is not used with clients: passthrough: the brokers present their own certificates through nginx');
  }
};

/** Prometheus scrapes 15692 over plain HTTP: metrics, no passwords, but not nothing. */
export const metricsStayPlain: Rule = (model, findings) => {
  if (model.tls?.disableNonTls && model.monitoring && model.multiHost) {
    findings.warn(
      'monitoring.prometheus',
      "Prometheus scrapes the nodes' metrics over plain HTTP (port 15692) across machines; they carry queue names and figures, no passwords or messages",
    );
  }
};
