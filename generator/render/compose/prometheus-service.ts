import { PROMETHEUS_CONTAINER_PORT } from '../../../contract/ports.js';
import { composePorts } from '../host-ports.js';
import type { ClusterModel } from '../../spec/model.js';
import { PROMETHEUS_DATA_DIR, PROMETHEUS_FILES, PROMETHEUS_SERVICE, PROMETHEUS_VOLUME } from '../prometheus/prometheus-layout.js';
import { logRotation, NETWORK, nofileLimit, type ComposeService } from './compose-types.js';
import type { FileDelivery } from './file-delivery.js';

/**
 * Prometheus with the generated config and rules. The command names every path (prom/prometheus
 * and a Debian-built image keep their defaults elsewhere), the retention, and the listen port.
 * No --web.enable-lifecycle: the API has no login, and that flag would let anyone who reaches it
 * stop Prometheus. One machine: on the cluster network at its fixed address, beside the nodes;
 * several: the machine's own network, reaching each node at its machine's address.
 */
export function prometheusService(model: ClusterModel, files: FileDelivery): ComposeService {
  const m = model.monitoring!;
  const service: ComposeService = {
    image: m.image,
    command: [
      `--config.file=${PROMETHEUS_FILES.config.target}`,
      `--storage.tsdb.path=${PROMETHEUS_DATA_DIR}`,
      `--storage.tsdb.retention.time=${m.retention}`,
      `--web.listen-address=:${PROMETHEUS_CONTAINER_PORT}`,
    ],
    ports: composePorts(model, m.host!, PROMETHEUS_SERVICE),
    ...files.mount(PROMETHEUS_SERVICE, [PROMETHEUS_FILES.config, PROMETHEUS_FILES.rules], [`${PROMETHEUS_VOLUME}:${PROMETHEUS_DATA_DIR}`]),
    restart: 'unless-stopped',
    ...logRotation(model.logging),
    ...nofileLimit(model.nofile),
    labels: { 'io.rmq-compose.cluster': model.name, 'io.rmq-compose.role': 'monitoring' },
  };
  if (!model.multiHost) service.networks = { [NETWORK]: m.address ? { ipv4_address: m.address } : null };
  return service;
}
