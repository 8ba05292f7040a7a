import type { ClusterModel, HostModel } from '../../spec/model.js';
import type { RenderedFile } from '../rendered-file.js';
import { NETWORK, type ComposeFile, type ComposeService } from './compose-types.js';
import { bindMounts, carriesFilesInline, inlineConfigs, type FileDelivery } from './file-delivery.js';
import { lbServices } from './lb-services.js';
import { nodeService } from './node-service.js';
import { prometheusService } from './prometheus-service.js';
import { PROMETHEUS_SERVICE, PROMETHEUS_VOLUME } from '../prometheus/prometheus-layout.js';

/**
 * The compose file of one machine (the only one on a single-host layout), as a plain object.
 * `files` are the generated files of that machine's folder, paths relative to it.
 */
export function composeFileFor(model: ClusterModel, host: string, files: readonly RenderedFile[]): ComposeFile {
  const delivery = fileDelivery(model, model.hosts.find((h) => h.name === host)!, files);
  const services: Record<string, ComposeService> = {};
  const volumes: Record<string, Record<string, never>> = {};
  for (const node of model.nodes.filter((n) => n.host === host)) {
    services[node.name] = nodeService(model, node, delivery);
    volumes[`${node.name}-data`] = {};
  }
  for (const instance of model.loadBalancer?.instances.filter((i) => i.host === host) ?? []) {
    Object.assign(services, lbServices(model, instance, delivery));
  }
  if (model.monitoring?.host === host) {
    services[PROMETHEUS_SERVICE] = prometheusService(model, delivery);
    volumes[PROMETHEUS_VOLUME] = {};
  }
  for (const [name, service] of Object.entries(services)) {
    const label = delivery.contentLabel(name);
    // a copy: the LB services of one instance share one labels object
    if (Object.keys(label).length > 0) service.labels = { ...service.labels, ...label };
  }
  const file: ComposeFile = { services };
  const usesNetwork = Object.values(services).some((s) => s.networks);
  if (usesNetwork) {
    file.networks = {
      [NETWORK]: model.network.subnet ? { driver: 'bridge', ipam: { config: [{ subnet: model.network.subnet }] } } : { driver: 'bridge' },
    };
  }
  if (Object.keys(volumes).length > 0) file.volumes = volumes;
  if (Object.keys(delivery.configs).length > 0) file.configs = { ...delivery.configs };
  return file;
}

function fileDelivery(model: ClusterModel, host: HostModel, files: readonly RenderedFile[]): FileDelivery {
  return carriesFilesInline(model, host) ? inlineConfigs(files) : bindMounts();
}
