import { describe, expect, it } from '@jest/globals';
import type { ClusterHandle } from '../../../../ops/cluster-handle.js';
import { ManagementApi } from '../../../../ops/rabbit/management-api.js';

/**
 * The watcher's sample and the status chart's hour, from the management API's documented shapes
 * (GET /api/overview with lengths_age/msg_rates_age: samples newest first, cumulative counters).
 */
function api(bodies: Record<string, unknown>, asked: string[] = []): ManagementApi {
  const cluster = { dir: '/x', manifest: { rabbitmq: { plugins: ['rabbitmq_management'] }, nodes: [], hosts: [] } } as unknown as ClusterHandle;
  return new ManagementApi(cluster, { user: 'u', password: 'p', cookie: undefined, all: [] }, async (url) => {
    asked.push(url);
    const path = url.replace('http://n:15672', '');
    const key = Object.keys(bodies).find((k) => path.startsWith(k));
    if (!key) throw new Error(`unexpected ${path}`);
    return bodies[key];
  });
}
const samples = (pairs: Array<[number, number]>) => ({ rate: 0, samples: pairs.map(([timestamp, sample]) => ({ sample, timestamp })) });

describe('management API flow figures', () => {
  it('an hour of samples becomes rates (per second, oldest first) and depths', async () => {
    const asked: string[] = [];
    const t = 1_764_338_400_000;
    const flow = await api(
      {
        '/api/overview?': {
          message_stats: {
            publish: 9000,
            publish_details: samples([
              [t + 120_000, 9000],
              [t + 60_000, 6000],
              [t, 0],
            ]),
            deliver_get: 30,
            deliver_get_details: samples([
              [t + 120_000, 30],
              [t + 60_000, 0],
            ]),
          },
          queue_totals: {
            messages_ready: 5,
            messages_ready_details: samples([
              [t + 120_000, 5],
              [t + 60_000, 7],
              [t, 2],
            ]),
            messages_unacknowledged: 0,
            messages_unacknowledged_details: samples([[t + 120_000, 0]]),
          },
        },
      },
      asked,
    ).flowHistory('http://n:15672');
    expect(asked[0]).toBe('http://n:15672/api/overview?lengths_age=3600&lengths_incr=60&msg_rates_age=3600&msg_rates_incr=60');
    expect(flow.publishRate).toEqual([
      { t: t + 60_000, v: 100 },
      { t: t + 120_000, v: 50 },
    ]);
    expect(flow.deliverRate).toEqual([{ t: t + 120_000, v: 0.5 }]);
    expect(flow.ready.map((p) => p.v)).toEqual([2, 7, 5]);
    expect([flow.from, flow.to]).toEqual([t, t + 120_000]);
  });

  it('a cluster with no traffic yet (empty message_stats) has an empty history, not an error', async () => {
    const flow = await api({ '/api/overview?': { message_stats: {}, queue_totals: {} } }).flowHistory('http://n:15672');
    expect(flow).toEqual({ from: 0, to: 0, publishRate: [], deliverRate: [], ready: [], unacked: [] });
  });

  it('a watcher sample: counters, totals, and every queue of every vhost with depth and consumers', async () => {
    const s = await api({
      '/api/overview': { message_stats: { publish: 120, deliver_get: 100 }, queue_totals: { messages_ready: 15, messages_unacknowledged: 5 } },
      '/api/queues?columns=vhost,name,messages,consumers': [
        { vhost: '/', name: 'orders', messages: 20, consumers: 0 },
        { vhost: 'billing', name: 'invoices', consumers: 1 },
      ],
    }).sample('http://n:15672', 42);
    expect(s).toEqual({
      at: 42,
      published: 120,
      delivered: 100,
      ready: 15,
      unacked: 5,
      queues: [
        { vhost: '/', name: 'orders', messages: 20, consumers: 0 },
        { vhost: 'billing', name: 'invoices', messages: undefined, consumers: 1 },
      ],
    });
  });
});
