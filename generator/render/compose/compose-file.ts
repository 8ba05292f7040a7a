import type { ClusterModel } from '../../spec/model.js';
import { NETWORK, type ComposeFile, type ComposeService } from './compose-types.js';
import { lbServices } from './lb-services.js';
import { nodeService } from './node-service.js';

/** The compose file of one machine (the only one on a single-host layout), as a plain object. */
export function composeFileFor(model: ClusterModel, host: string): ComposeFile {
  const services: Record<string, ComposeService> = {};
  const volumes: Record<string, Record<string, never>> = {};
  for (const node of model.nodes.filter((n) => n.host === host)) {
    services[node.name] = nodeService(model, node);
    volumes[`${node.name}-data`] = {};
    volumes[`${node.name}-logs`] = {};
  }
  for (const instance of model.loadBalancer?.instances.filter((i) => i.host === host) ?? []) {
    Object.assign(services, lbServices(model, instance));
  }
  const file: ComposeFile = { services };
  const usesNetwork = Object.values(services).some((s) => s.networks);
  if (usesNetwork) {
    file.networks = {
      [NETWORK]: model.network.subnet ? { driver: 'bridge', ipam: { config: [{ subnet: model.network.subnet }] } } : { driver: 'bridge' },
    };
  }
  if (Object.keys(volumes).length > 0) file.volumes = volumes;
  return file;
}
