import { rm } from 'node:fs/promises';
import { fakeManifest } from '../../../support/memory-ops.js';
import { waitEmpty } from '../../../../ops/migration/message-move.js';
import { clusterServices } from '../../../../ops/ops-tools.js';
import { clusterDir, fakeTools, ScriptedRunner } from '../fake-runner.js';

/** The drain wait: through the API (never the queue processes), empty twice 6 s apart, news on each poll. */
const queues = [{ vhost: '/', name: 'orders' }, { vhost: 'billing', name: 'invoices' }];

const CTL = (vhost: string) => `exec -T rabbit1 rabbitmqctl -q list_queues -p ${vhost} name messages --formatter json`;
const ctlSays = (orders: number[]) =>
  new ScriptedRunner([
    ['compose version --short', { stdout: '2.26.1' }],
    [CTL('/'), orders.map((n) => ({ stdout: JSON.stringify([{ name: 'orders', messages: n }]) }))],
    [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
  ]);

async function withServices(http: (url: string) => unknown, fn: (s: Awaited<ReturnType<typeof clusterServices>>) => Promise<void>, runner = ctlSays([0])) {
  const manifest = fakeManifest();
  manifest.nodes = manifest.nodes.map((n, i) => ({ ...n, ports: { amqp: 5672 + i, management: 15672 + i } }));
  const dir = await clusterDir(manifest, 'RABBITMQ_DEFAULT_PASS=pass-SECRET-1234\nRABBITMQ_ERLANG_COOKIE=COOKIESECRETCOOKIE\n');
  try {
    const s = await clusterServices({ dir, manifest }, fakeTools(runner, { http: async (url) => http(url) }));
    await fn(s);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('waitEmpty', () => {
  test('polls the API per vhost until every queue shows 0 twice, 6 s apart, saying what is left', async () => {
    const orders = [120, 40, 0, 0, 0, 0, 0, 0];
    const asked: string[] = [];
    await withServices(
      (url) => {
        asked.push(url.replace(/^http:\/\/[^/]+/, ''));
        if (url.endsWith('/api/overview')) return { rabbitmq_version: '3.10.8' };
        if (url.includes('/api/queues/%2F')) return [{ name: 'orders', messages: orders.shift() ?? 0 }, { name: 'other', messages: 7 }];
        return [{ name: 'invoices', messages: 0 }];
      },
      async (s) => {
        const said: string[] = [];
        const t0 = s.tools.now();
        await waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 60_000, pollMs: 2_000, onPoll: (l) => said.push(l) });
        expect(said[0]).toBe('orders: 120');
        expect(said[1]).toBe('orders: 40');
        expect(said.slice(2).every((l) => l === 'empty, confirming (the statistics lag)')).toBe(true);
        expect(s.tools.now() - t0).toBeGreaterThanOrEqual(6_000);
        expect(asked).toContain('/api/queues/billing?columns=name,messages');
      },
    );
  });

  test('empty by the API is checked with list_queues before it is believed; missing figures are not zero', async () => {
    // the API says 0 (its figures lag), list_queues still counts 3 the first time
    const runner = ctlSays([3, 0]);
    const said: string[] = [];
    await withServices(
      (url) => (url.endsWith('/api/overview') ? {} : url.includes('%2F') ? [{ name: 'orders', messages: null }] : [{ name: 'invoices', messages: 0 }]),
      async (s) => {
        await waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 60_000, pollMs: 2_000, onPoll: (l) => said.push(l) });
      },
      runner,
    );
    // no figure from the API: list_queues answered each poll (3, then 0: done)
    expect(said).toEqual(['orders: 3']);
    expect(runner.calls.filter((c) => c === CTL('/'))).toHaveLength(2);
  });

  test('a deadline with what is still there', async () => {
    await withServices(
      (url) => (url.endsWith('/api/overview') ? {} : [{ name: 'orders', messages: 5 }, { name: 'invoices', messages: 0 }]),
      async (s) => {
        await expect(waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 10_000, pollMs: 2_000 })).rejects.toThrow(/messages still waiting to move after 10 s: orders: 5; run the same command again/);
      },
    );
  });
});
