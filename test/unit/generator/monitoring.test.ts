import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseManifest } from '../../../contract/manifest.js';
import { planCluster } from '../../../generator/plan.js';
import { greenSpec } from '../../../generator/spec/green-spec.js';
import { specPath } from '../../helpers/spec-files.js';
import { specText } from '../../helpers/spec-text.js';

/** What `monitoring: { prometheus: true }` adds to the generated tree, on one machine and across several. */
const files = (text: string, name = 'spec.yaml') => new Map(planCluster(text, name).files.map((f) => [f.path, f.contents]));
const fixture = (name: string) => files(readFileSync(specPath(name), 'utf8'), `${name}.yaml`);

interface Service {
  image?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  configs?: Array<{ source: string; target: string; mode: number }>;
  networks?: Record<string, { ipv4_address?: string } | null>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content: string }>;
}
interface ScrapeJob {
  job_name: string;
  metrics_path: string;
  params?: { family: string[] };
  static_configs: Array<{ targets: string[]; labels: Record<string, string> }>;
  metric_relabel_configs?: Array<{ regex: string }>;
}
interface Rules {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string> }> }>;
}
const compose = (tree: Map<string, string>, path = 'docker-compose.yml') => parse(tree.get(path)!) as Compose;
const scrapeJobs = (tree: Map<string, string>, path = 'prometheus/prometheus.yml') =>
  (parse(tree.get(path)!) as { scrape_configs: ScrapeJob[] }).scrape_configs;
const rules = (tree: Map<string, string>, path = 'prometheus/alerts.yml') => (parse(tree.get(path)!) as Rules).groups[0]!.rules;
const manifestOf = (tree: Map<string, string>) => {
  const parsed = parseManifest(JSON.parse(tree.get('rmq-compose.json')!));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.manifest;
};

describe('one machine (fixture monitoring.yaml)', () => {
  const tree = fixture('monitoring');
  const c = compose(tree);

  test('a prometheus service on the cluster network, its config and rules bind-mounted, its port on 127.0.0.1, its data in a volume', () => {
    expect(c.services['prometheus']).toMatchObject({
      image: 'prom/prometheus:v3.5.0',
      command: [
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/prometheus',
        '--storage.tsdb.retention.time=15d',
        '--web.listen-address=:9090',
      ],
      ports: ['127.0.0.1:9090:9090'],
      volumes: [
        './prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
        'prometheus-data:/prometheus',
      ],
      networks: { rabbitmq: { ipv4_address: '172.24.173.254' } },
    });
    expect(c.volumes).toHaveProperty('prometheus-data');
  });

  test('every node enables rabbitmq_prometheus; its port stays on the Docker network', () => {
    expect(tree.get('rabbitmq/enabled_plugins')).toBe('[rabbitmq_management,rabbitmq_prometheus].\n');
    for (const node of ['rabbit1', 'rabbit2', 'rabbit3']) expect(c.services[node]!.ports!.join(' ')).not.toContain('15692');
  });

  test('one job scrapes /metrics and one /metrics/detailed, each node a target at its fixed address, labelled with its node', () => {
    const [nodes, queues] = scrapeJobs(tree);
    expect(nodes).toEqual({
      job_name: 'watched',
      metrics_path: '/metrics',
      static_configs: [
        { targets: ['172.24.173.10:15692'], labels: { cluster: 'watched', node: 'rabbit1' } },
        { targets: ['172.24.173.11:15692'], labels: { cluster: 'watched', node: 'rabbit2' } },
        { targets: ['172.24.173.12:15692'], labels: { cluster: 'watched', node: 'rabbit3' } },
      ],
    });
    expect(queues).toMatchObject({
      job_name: 'watched-queues',
      metrics_path: '/metrics/detailed',
      params: { family: ['queue_coarse_metrics', 'ra_metrics'] },
      static_configs: nodes!.static_configs,
    });
    expect(queues!.metric_relabel_configs![0]!.regex).toBe(
      '(rabbitmq_detailed_queue_messages|rabbitmq_detailed_queue_messages_ready|rabbitmq_detailed_queue_messages_unacked|rabbitmq_detailed_raft_term)',
    );
    expect(tree.get('prometheus/prometheus.yml')).toMatch(/^rule_files:\n {2}- alerts\.yml$/m);
  });

  test('the alerts the issue asks for, with their expressions', () => {
    const byName = new Map(rules(tree).map((r) => [r.alert ?? r.record, r]));
    expect([...byName.keys()]).toEqual([
      'rmq_compose:quorum_queue_members_online:count',
      'RabbitmqNodeDown',
      'RabbitmqMemoryAlarm',
      'RabbitmqDiskAlarm',
      'RabbitmqFileDescriptorsNearLimit',
      'RabbitmqUnroutableMessages',
      'RabbitmqClusterMajorityDown',
      'RabbitmqQuorumQueueNoMajority',
    ]);
    expect(byName.get('RabbitmqNodeDown')).toMatchObject({ expr: 'up{job="watched"} == 0', for: '1m', labels: { severity: 'critical' } });
    expect(byName.get('RabbitmqMemoryAlarm')!.expr).toBe('rabbitmq_alarms_memory_used_watermark{job="watched"} > 0');
    expect(byName.get('RabbitmqDiskAlarm')!.expr).toBe('rabbitmq_alarms_free_disk_space_watermark{job="watched"} > 0');
    expect(byName.get('RabbitmqFileDescriptorsNearLimit')!.expr).toBe(
      'rabbitmq_process_open_fds{job="watched"} / (rabbitmq_process_max_fds{job="watched"} > 0) > 0.8',
    );
    expect(byName.get('RabbitmqUnroutableMessages')!.expr).toBe(
      'rate(rabbitmq_global_messages_unroutable_dropped_total{job="watched"}[5m]) + rate(rabbitmq_global_messages_unroutable_returned_total{job="watched"}[5m]) > 0',
    );
    expect(byName.get('RabbitmqClusterMajorityDown')!.expr).toBe('sum by (cluster) (up{job="watched"}) < 2');
    expect(byName.get('rmq_compose:quorum_queue_members_online:count')!.expr).toBe(
      'count by (cluster, vhost, queue) (rabbitmq_detailed_raft_term{job="watched-queues", queue!=""})',
    );
  });

  test('the manifest says where Prometheus answers; a manifest without it (older) still reads', () => {
    const manifest = manifestOf(tree);
    expect(manifest.monitoring).toEqual({
      prometheus: {
        service: 'prometheus',
        host: 'local',
        address: '127.0.0.1',
        port: 9090,
        jobs: { nodes: 'watched', queues: 'watched-queues' },
        scrapeInterval: '15s',
        configFile: 'prometheus/prometheus.yml',
        rulesFile: 'prometheus/alerts.yml',
        alerts: [
          'RabbitmqNodeDown',
          'RabbitmqMemoryAlarm',
          'RabbitmqDiskAlarm',
          'RabbitmqFileDescriptorsNearLimit',
          'RabbitmqUnroutableMessages',
          'RabbitmqClusterMajorityDown',
          'RabbitmqQuorumQueueNoMajority',
        ],
      },
    });
    expect(manifest.hosts[0]!.services).toContain('prometheus');
    const { monitoring: _monitoring, ...older } = JSON.parse(tree.get('rmq-compose.json')!) as Record<string, unknown>;
    const read = parseManifest(older);
    expect(read.ok && read.manifest.monitoring).toBeUndefined();
    expect(read.ok).toBe(true);
    expect(parseManifest({ ...older, monitoring: { prometheus: { ...manifest.monitoring!.prometheus, jobs: { nodes: 'x"}', queues: 'y' } } } })).toMatchObject({
      ok: false,
    });
  });

  test('the README says where Prometheus is and lists the alerts', () => {
    const readme = tree.get('README.md')!;
    expect(readme).toContain('## Monitoring (Prometheus)');
    expect(readme).toContain('Its web UI and HTTP API answer at http://127.0.0.1:9090/');
    expect(readme).toContain('`ssh -L 9090:127.0.0.1:9090 <this machine>`');
    expect(readme).toMatch(
      /\| RabbitmqNodeDown \| critical \| Prometheus cannot scrape a node for 1 minute \| `rmq-compose status`, then `rmq-compose restart <node>` \|/,
    );
    expect(readme).toContain('(rabbitmq_prometheus added: Prometheus scrapes it.)');
  });
});

describe('several machines (fixture monitoring-hosts.yaml)', () => {
  const tree = fixture('monitoring-hosts');

  test('each node publishes 15692 on its machine’s address; Prometheus scrapes it there', () => {
    expect(compose(tree, 'hosts/mq2/docker-compose.yml').services['rabbit2']!.ports).toContain('10.0.1.12:15692:15692');
    const [nodes] = scrapeJobs(tree, 'hosts/mon1/prometheus/prometheus.yml');
    expect(nodes!.static_configs.map((s) => s.targets[0])).toEqual(['10.0.1.11:15692', '10.0.1.12:15692', '10.0.1.13:15692']);
  });

  test('Prometheus on the marked host, its files inline (the host is reached over ssh), its port on that host’s address', () => {
    const mon = compose(tree, 'hosts/mon1/docker-compose.yml');
    expect(Object.keys(mon.services)).toEqual(['prometheus']);
    expect(mon.services['prometheus']).toMatchObject({
      ports: ['10.0.1.31:9091:9090'],
      configs: [
        { source: 'prometheus-prometheus-yml', target: '/etc/prometheus/prometheus.yml', mode: 0o444 },
        { source: 'prometheus-alerts-yml', target: '/etc/prometheus/alerts.yml', mode: 0o444 },
      ],
      volumes: ['prometheus-data:/prometheus'],
    });
    expect(mon.services['prometheus']!.networks).toBeUndefined();
    // every $ doubled for Compose's interpolation, which gives the file's bytes back
    expect(mon.configs!['prometheus-alerts-yml']!.content.replaceAll('$$', '$')).toBe(tree.get('hosts/mon1/prometheus/alerts.yml'));
    expect(tree.has('hosts/lb1/prometheus/prometheus.yml')).toBe(false);
  });

  test('3.x: no per-queue Raft metrics, so no ra_metrics family and no per-queue quorum rule; the plugin listed once', () => {
    const [, queues] = scrapeJobs(tree, 'hosts/mon1/prometheus/prometheus.yml');
    expect(queues!.params).toEqual({ family: ['queue_coarse_metrics'] });
    expect(rules(tree, 'hosts/mon1/prometheus/alerts.yml').map((r) => r.alert ?? r.record)).not.toContain('RabbitmqQuorumQueueNoMajority');
    expect(tree.get('hosts/mq1/rabbitmq/enabled_plugins')).toBe('[rabbitmq_management,rabbitmq_prometheus].\n');
  });

  test('the README’s ports table and the manifest name the monitoring host', () => {
    const readme = tree.get('README.md')!;
    expect(readme).toContain(
      '| mon1 (10.0.1.31) | mq1 (10.0.1.11), mq2 (10.0.1.12), mq3 (10.0.1.13) | 15692/tcp | Prometheus scrapes each node’s metrics (rabbitmq_prometheus) |',
    );
    expect(readme).toContain('| the machine running rmq-compose, your browser | mon1 (10.0.1.31) | 9091/tcp |');
    const manifest = manifestOf(tree);
    expect(manifest.monitoring!.prometheus).toMatchObject({
      host: 'mon1',
      address: '10.0.1.31',
      port: 9091,
      configFile: 'hosts/mon1/prometheus/prometheus.yml',
    });
    expect(manifest.hosts.find((h) => h.name === 'mon1')).toMatchObject({ composeFile: 'hosts/mon1/docker-compose.yml', services: ['prometheus'] });
  });
});

describe('the Raft term metric follows the RabbitMQ version', () => {
  test.each([
    ['rabbitmq:3.10-management', undefined],
    ['rabbitmq:4.0-management', 'rabbitmq_detailed_raft_term_total'],
    ['rabbitmq:4.1.4-management', 'rabbitmq_detailed_raft_term_total'],
    ['rabbitmq:4.2-management', 'rabbitmq_detailed_raft_term'],
  ])('%s → %s', (image, metric) => {
    const tree = files(specText({ rabbitmq: { image }, monitoring: { prometheus: true } }));
    const record = rules(tree).find((r) => r.record);
    expect(record?.expr.match(/\((rabbitmq_\w+)\{/)?.[1]).toBe(metric);
    expect(tree.get('prometheus/prometheus.yml')!.includes('ra_metrics')).toBe(metric !== undefined);
  });

  test('short intervals: the scrape timeout follows them down', () => {
    const config = parse(files(specText({ monitoring: { prometheus: true, scrapeInterval: '2s' } })).get('prometheus/prometheus.yml')!) as { global: object };
    expect(config.global).toEqual({ scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '2s' });
  });
});

describe('without monitoring nothing changes', () => {
  test('no Prometheus file, service, metrics port or manifest entry', () => {
    const tree = fixture('prod');
    expect([...tree.keys()].filter((p) => p.includes('prometheus'))).toEqual([]);
    expect(tree.get('hosts/mq1/docker-compose.yml')).not.toContain('15692');
    expect(manifestOf(tree).monitoring).toBeUndefined();
  });
});

describe('migrate: green’s Prometheus runs beside blue’s', () => {
  test('its port moves with the offset and the added plugin is not written into the spec', () => {
    const blue = specText({
      rabbitmq: { image: 'rabbitmq:3.13-management' },
      monitoring: { prometheus: true, port: 9090 },
      network: { subnet: '172.28.7.0/24' },
    });
    const green = parse(
      greenSpec(blue, 'blue.yaml', { image: 'rabbitmq:4.3-management', version: undefined, subnet: '172.28.8.0/24', portOffset: 1000 }),
    ) as Record<string, any>;
    expect(green.monitoring).toEqual({ prometheus: true, port: 10090 });
    expect(green.rabbitmq.plugins).toEqual(['rabbitmq_management', 'rabbitmq_shovel']);
  });
});
