import type { ClusterManifest } from '../../../contract/manifest.js';
import type { ClusterHandle } from '../../../ops/actions/action.js';
import { ManagementApi } from '../../../ops/rabbit/management-api.js';
import { fakeManifest } from '../../support/memory-ops.js';

/** A `hosts:` layout: one node per machine, each machine reached as `docker[i]` says (undefined: the local engine). */
function multiHostManifest(docker: Array<string | undefined>): ClusterManifest {
  const m = fakeManifest('prod');
  m.project = 'rmq-prod';
  m.nodes = m.nodes.map((n, i) => ({ ...n, host: `mq${i + 1}`, ports: { amqp: 5672, management: 15672 } }));
  m.hosts = m.nodes.map((n, i) => ({
    name: `mq${i + 1}`,
    address: `10.0.0.1${i + 1}`,
    ...(docker[i] ? { docker: docker[i] } : {}),
    composeFile: `hosts/mq${i + 1}/docker-compose.yml`,
    services: [n.name],
  }));
  return m;
}

describe('management API on a hosts layout', () => {
  test('each machine is asked on its own address, also the one without docker: (ports are not on 127.0.0.1 there)', () => {
    const manifest = multiHostManifest([undefined, 'ssh://root@10.0.0.12', 'mq3-context']);
    const api = new ManagementApi({ dir: '/x', manifest } as unknown as ClusterHandle, { user: 'u', password: 'p', cookie: undefined, all: [] }, async () => ({}));
    expect(api.candidates()).toEqual(['http://10.0.0.11:15672', 'http://10.0.0.12:15672', 'http://10.0.0.13:15672']);
  });
});
