import type { ClusterModel, NodeModel } from '../spec/model.js';

/** The names a certificate must carry as subjectAltName: what clients and peers check. */
export interface CertificateNames {
  dnsNames: string[];
  ipAddresses: string[];
}

const uniq = (values: Array<string | undefined>) => [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];

/** The VIP without its prefix, when there is one. */
function virtualIp(model: ClusterModel): string | undefined {
  return model.loadBalancer?.keepalived?.virtualIp.split('/')[0];
}

/**
 * A node's certificate: its host name (peers dial rabbit@<name>, and check <name>), its address
 * on the LAN or cluster network (ops and Prometheus reach it there). With passthrough, clients
 * going through the load balancer get the node's certificate, so it also carries the names they
 * dial: the VIP, `tls.names`, and on one machine localhost.
 */
export function nodeCertificateNames(model: ClusterModel, node: NodeModel): CertificateNames {
  const t = model.tls!;
  const hostAddress = model.multiHost ? model.hosts.find((h) => h.name === node.host)?.address : node.address;
  const throughLb = t.clients === 'passthrough' && model.loadBalancer !== undefined;
  const behindNginx = t.clients === 'terminate' && model.loadBalancer !== undefined;
  const local = !model.multiHost;
  return {
    dnsNames: uniq([node.name, ...(behindNginx ? [backendName(model)] : []), ...(throughLb ? t.dnsNames : []), ...(local ? ['localhost'] : [])]),
    ipAddresses: uniq([hostAddress, ...(throughLb ? [virtualIp(model), ...t.ipAddresses] : []), ...(local ? ['127.0.0.1'] : [])]),
  };
}

/**
 * With terminate, nginx re-encrypts to the brokers and checks their certificates against the CA
 * and this one name (nginx's proxy_ssl_name is one name for a whole upstream): every node's
 * certificate carries it besides its own.
 */
export function backendName(model: ClusterModel): string {
  return `nodes.${model.name}.rmq-compose`;
}

/** nginx's certificate (terminate): the VIP, the load balancer machines, `tls.names`; localhost on one machine. */
export function lbCertificateNames(model: ClusterModel): CertificateNames {
  const t = model.tls!;
  const lb = model.loadBalancer!;
  const local = !model.multiHost;
  return {
    dnsNames: uniq([...t.dnsNames, ...(local ? ['localhost'] : [])]),
    ipAddresses: uniq([
      virtualIp(model),
      ...lb.instances.map((i) => (model.multiHost ? i.address : undefined)),
      ...t.ipAddresses,
      ...(local ? ['127.0.0.1'] : []),
    ]),
  };
}

/** What a certificate lacks of `wanted`, as "DNS:x" / "IP:y"; empty when it has them all. */
export function missingNames(has: CertificateNames, wanted: CertificateNames): string[] {
  const dns = new Set(has.dnsNames.map((n) => n.toLowerCase()));
  const ips = new Set(has.ipAddresses);
  return [
    ...wanted.dnsNames.filter((n) => !dns.has(n.toLowerCase())).map((n) => `DNS:${n}`),
    ...wanted.ipAddresses.filter((a) => !ips.has(a)).map((a) => `IP:${a}`),
  ];
}
