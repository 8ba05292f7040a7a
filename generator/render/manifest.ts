import { ENV_FILE } from '../../contract/cluster-files.js';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ClusterModel } from '../spec/model.js';
import { alertRules } from './prometheus/alert-rules.js';
import { CA_CERT_FILE, CA_KEY_FILE, LB_CERT_FILE, LB_KEY_FILE, nodeCertFile, nodeKeyFile } from '../../contract/tls/layout.js';
import { PROMETHEUS_FILES, PROMETHEUS_SERVICE, prometheusJobs } from './prometheus/prometheus-layout.js';

/** The manifest of a cluster, in the contract's shape (`contract/manifest.ts`). */
export function buildManifest(
  model: ClusterModel,
  composeFileOf: (host: string) => string,
  servicesOf: (host: string) => string[],
  generatedFiles: string[],
  specFile?: string,
): ClusterManifest {
  const r = model.rabbitmq;
  const lb = model.loadBalancer;
  return {
    schemaVersion: 1,
    name: model.name,
    project: model.project,
    rabbitmq: {
      image: r.image,
      version: r.version.text,
      major: r.version.major,
      minor: r.version.minor,
      formation: r.formation,
      mirroring: r.version.major < 4,
      plugins: r.plugins,
      defaultUser: r.defaultUser.kind === 'plain' ? r.defaultUser.value : undefined,
      defaultUserVariable: r.defaultUser.kind === 'plain' ? undefined : r.defaultUser.variable,
      defaultPassVariable: r.defaultPass.variable,
      erlangCookieVariable: r.erlangCookie.variable,
    },
    nodes: model.nodes.map((n) => ({
      name: n.name,
      erlangNode: n.erlangNode,
      type: n.type,
      service: n.name,
      host: n.host,
      ports: n.ports,
      address: n.address,
    })),
    hosts: model.hosts
      .filter((h) => h.nodes.length > 0 || h.loadBalancer || h.name === model.monitoring?.host)
      .map((h) => ({ name: h.name, address: h.address, docker: h.docker, composeFile: composeFileOf(h.name), services: servicesOf(h.name) })),
    loadBalancer: lb
      ? {
          listeners: lb.listeners.map((l) => ({ protocol: l.protocol, port: l.port })),
          virtualIp: lb.keepalived?.virtualIp,
          instances: lb.instances.map((i) => ({
            name: i.name,
            host: i.host,
            address: i.address,
            nginxService: lbServiceNames(model, i.name).nginx,
            keepalivedService: lbServiceNames(model, i.name).keepalived,
          })),
        }
      : undefined,
    policies: model.policies.map(({ path: _path, ...p }) => p),
    envFile: ENV_FILE,
    ...(specFile === undefined ? {} : { spec: specFile }),
    generatedFiles,
    ...monitoringEntry(model, composeFileOf),
    ...tlsEntry(model),
  };
}

/** Where the CA and each certificate are, and how TLS is laid out; nothing without `tls:`. */
function tlsEntry(model: ClusterModel): Pick<ClusterManifest, 'tls'> {
  const t = model.tls;
  if (!t) return {};
  const generated = t.certificates.kind === 'generate';
  return {
    tls: {
      clients: t.clients,
      disableNonTls: t.disableNonTls,
      interNode: t.interNode,
      clientCertificates: t.clientCertificates,
      certificates: generated ? 'generated' : 'files',
      caFile: CA_CERT_FILE,
      ...(generated ? { caKeyFile: CA_KEY_FILE } : {}),
      nodes: Object.fromEntries(model.nodes.map((n) => [n.name, { certFile: nodeCertFile(n.name), keyFile: nodeKeyFile(n.name) }])),
      ...(t.clients === 'terminate' && model.loadBalancer ? { loadBalancer: { certFile: LB_CERT_FILE, keyFile: LB_KEY_FILE } } : {}),
      names: [...t.dnsNames, ...t.ipAddresses],
    },
  };
}

/** Where Prometheus answers and what it scrapes; nothing without monitoring (older readers ignore it). */
function monitoringEntry(model: ClusterModel, composeFileOf: (host: string) => string): Pick<ClusterManifest, 'monitoring'> {
  const m = model.monitoring;
  if (!m || m.host === undefined || m.publishAddress === undefined) return {};
  // the files sit beside the compose file of the machine that runs Prometheus
  const folder = composeFileOf(m.host).replace(/docker-compose\.yml$/, '');
  return {
    monitoring: {
      prometheus: {
        service: PROMETHEUS_SERVICE,
        host: m.host,
        address: m.publishAddress,
        port: m.port,
        jobs: prometheusJobs(model),
        scrapeInterval: m.scrapeInterval,
        configFile: `${folder}${PROMETHEUS_FILES.config.path}`,
        rulesFile: `${folder}${PROMETHEUS_FILES.rules.path}`,
        alerts: alertRules(model).map((a) => a.alert),
      },
    },
  };
}

/** Compose service names of one LB instance; shared by the compose renderer and the manifest. */
export function lbServiceNames(model: ClusterModel, instance: string): { nginx: string; keepalived: string | undefined; netns?: string } {
  const k = model.loadBalancer?.keepalived;
  if (model.multiHost) return { nginx: 'nginx', keepalived: k ? 'keepalived' : undefined };
  if (!k) return { nginx: 'lb', keepalived: undefined };
  return { nginx: `${instance}-nginx`, keepalived: `${instance}-keepalived`, netns: `${instance}-netns` };
}
