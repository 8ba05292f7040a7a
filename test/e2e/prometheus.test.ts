import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import amqp from 'amqplib';
import { reportFigures, waitFor } from './harness/cluster-probes.js';
import { ensurePrometheusImage } from './harness/images.js';
import { scenarioSpec } from './harness/scenario-spec.js';
import { SETUP_TIMEOUT_MS, useE2eHarness } from './harness/setup.js';
import { openOpsCluster, type OpsCluster } from './ops/ops-cluster.js';

/**
 * `monitoring: { prometheus: true }` on a real 3-node RabbitMQ 4.3 cluster, deployed by the ops
 * core: Prometheus (Debian trixie's package, built locally like the RabbitMQ images) scrapes
 * every node, finds the metrics the alert rules read under the names they use, counts a quorum
 * queue's members, and when rabbit3 stops sees it down and raises RabbitmqNodeDown. Scrape and
 * rule evaluation every 2 s, so the whole file takes about two minutes once the images exist.
 */
const harness = useE2eHarness();
const NAME = 'e2e-prom';
const PORT_BASE = 37000;
const PROMETHEUS_PORT = PORT_BASE + 90;
const QUEUE = 'prom-orders';
const figures: Record<string, number> = {};
let c: OpsCluster;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
}

/** Prometheus' HTTP API, as a user's browser or the ops watcher reaches it: 127.0.0.1:<port>. */
async function api<T>(path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}${path}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`GET ${path}: ${JSON.stringify(body)}`);
  return body.data;
}
const query = async (promql: string) => (await api<{ result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result;
const byNode = (samples: Sample[]) => Object.fromEntries(samples.map((s) => [s.metric.node ?? s.metric.queue ?? '', s.value[1]]));

describe('Prometheus from the spec on RabbitMQ 4.3', () => {
  const started = Date.now();

  beforeAll(async () => {
    const h = harness();
    const t0 = Date.now();
    const prometheus = await ensurePrometheusImage(h.env, h.runner);
    figures.prometheusImageMs = Date.now() - t0;
    const spec = {
      ...scenarioSpec({ name: NAME, image: h.images.v43.ref, version: '4.3.6', nodes: 3, formation: 'auto', subnet: 215, portBase: PORT_BASE }),
      monitoring: { prometheus: true, image: prometheus.ref, port: PROMETHEUS_PORT, scrapeInterval: '2s' },
    };
    c = await openOpsCluster(h, 'prom', spec);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await c?.close();
    figures.fileMs = Date.now() - started;
    reportFigures('prometheus', figures);
  }, 300_000);

  it('deploys the nodes and Prometheus; every node is up for Prometheus', async () => {
    const t0 = Date.now();
    const r = await c.run('deploy');
    expect(r.ok).toBe(true);
    const up = await waitFor(
      'up == 1 for rabbit1..3',
      120_000,
      async () => {
        const samples = await query(`up{job="${NAME}"}`);
        return samples.length === 3 && samples.every((s) => s.value[1] === '1') ? samples : undefined;
      },
      2000,
    );
    figures.deployToUpMs = Date.now() - t0;
    expect(up.map((s) => s.metric.node).sort()).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    expect(up.map((s) => s.metric.cluster)).toEqual([NAME, NAME, NAME]);
  }, 900_000);

  it('finds every metric the alert rules read, on every node, under the names they use', async () => {
    for (const metric of ['rabbitmq_alarms_memory_used_watermark', 'rabbitmq_alarms_free_disk_space_watermark']) {
      expect({ metric, values: byNode(await query(`${metric}{job="${NAME}"}`)) }).toEqual({ metric, values: { rabbit1: '0', rabbit2: '0', rabbit3: '0' } });
    }
    for (const metric of [
      'rabbitmq_process_open_fds',
      'rabbitmq_process_max_fds',
      'rabbitmq_global_messages_unroutable_dropped_total',
      'rabbitmq_global_messages_unroutable_returned_total',
    ]) {
      const nodes = (await query(`count by (node) (${metric}{job="${NAME}"})`)).map((s) => s.metric.node).sort();
      expect({ metric, nodes }).toEqual({ metric, nodes: ['rabbit1', 'rabbit2', 'rabbit3'] });
    }
    const rules = await api<{ groups: Array<{ rules: Array<{ name: string; health: string }> }> }>('/api/v1/rules');
    const loaded = rules.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name)).toEqual(expect.arrayContaining(['RabbitmqNodeDown', 'RabbitmqMemoryAlarm', 'RabbitmqQuorumQueueNoMajority']));
    expect(loaded.filter((r) => r.health === 'err')).toEqual([]);
  }, 120_000);

  it('counts the members of a quorum queue from each node’s Raft metrics', async () => {
    const { user, pass } = c.cluster.admin;
    const conn = await amqp.connect(`amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${c.cluster.model.nodes[0]!.ports.amqp}`);
    try {
      const ch = await conn.createChannel();
      await ch.assertQueue(QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await ch.close();
    } finally {
      await conn.close();
    }
    const members = await waitFor(
      `3 members of ${QUEUE}`,
      60_000,
      async () => {
        const value = byNode(await query(`rmq_compose:quorum_queue_members_online:count{queue="${QUEUE}"}`))[QUEUE];
        return value === '3' ? value : undefined;
      },
      2000,
    );
    expect(members).toBe('3');
  }, 120_000);

  it('rabbit3 stopped: up == 0 for it, RabbitmqNodeDown pending or firing, the queue keeps its majority', async () => {
    const t0 = Date.now();
    await c.cluster.composeChecked(['stop', '-t', '20', 'rabbit3']);
    const stoppedAt = Date.now();
    await waitFor(
      'up == 0 for rabbit3',
      60_000,
      async () => ((await query(`up{job="${NAME}", node="rabbit3"}`))[0]?.value[1] === '0' ? true : undefined),
      1000,
    );
    figures.stopToDownMs = Date.now() - stoppedAt;
    expect(byNode(await query(`up{job="${NAME}"}`))).toEqual({ rabbit1: '1', rabbit2: '1', rabbit3: '0' });
    const alert = await waitFor(
      'RabbitmqNodeDown for rabbit3',
      90_000,
      async () => {
        const { alerts } = await api<{ alerts: Alert[] }>('/api/v1/alerts');
        return alerts.find((a) => a.labels.alertname === 'RabbitmqNodeDown' && a.labels.node === 'rabbit3' && a.state !== 'inactive');
      },
      1000,
    );
    figures.stopToAlertMs = Date.now() - stoppedAt;
    expect(alert.labels).toMatchObject({ severity: 'critical', job: NAME, cluster: NAME, node: 'rabbit3' });
    expect(['pending', 'firing']).toContain(alert.state);
    // two members of three still run: counted, and neither quorum alert
    await waitFor(
      `2 members of ${QUEUE}`,
      60_000,
      async () => (byNode(await query(`rmq_compose:quorum_queue_members_online:count{queue="${QUEUE}"}`))[QUEUE] === '2' ? true : undefined),
      2000,
    );
    const { alerts } = await api<{ alerts: Alert[] }>('/api/v1/alerts');
    expect(alerts.filter((a) => ['RabbitmqQuorumQueueNoMajority', 'RabbitmqClusterMajorityDown'].includes(a.labels.alertname ?? ''))).toEqual([]);
    figures.stopPhaseMs = Date.now() - t0;
  }, 300_000);
});
