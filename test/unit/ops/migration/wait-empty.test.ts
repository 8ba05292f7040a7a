import { rm } from 'node:fs/promises';
import { fakeManifest } from '../../../support/memory-ops.js';
import { steadyQueueDepths, waitEmpty } from '../../../../ops/migration/message-move.js';
import { clusterServices } from '../../../../ops/ops-tools.js';
import { clusterDir, fakeTools, ScriptedRunner, type Reply } from '../fake-runner.js';

/** The drain wait: decided by list_queues alone; the API's figures only fill the line while it does not answer. */
const queues = [
  { vhost: '/', name: 'orders' },
  { vhost: 'billing', name: 'invoices' },
];
const CTL = (vhost: string) => `exec -T rabbit1 rabbitmqctl -q list_queues --vhost=${vhost} --formatter json --timeout=15 -- name messages`;
const orders = (n: number): Reply => ({
  stdout: JSON.stringify([
    { name: 'orders', messages: n },
    { name: 'other', messages: 7 },
  ]),
});

async function withServices(runner: ScriptedRunner, http: (url: string) => unknown, fn: (s: Awaited<ReturnType<typeof clusterServices>>) => Promise<void>) {
  const manifest = fakeManifest();
  manifest.nodes = manifest.nodes.map((n, i) => ({ ...n, ports: { amqp: 5672 + i, management: 15672 + i } }));
  const dir = await clusterDir(manifest);
  try {
    await fn(await clusterServices({ dir, manifest }, fakeTools(runner, { http: async (url) => http(url) })));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('waitEmpty', () => {
  test('polls list_queues per vhost until every moved queue is empty, saying what is left', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL('/'), [orders(120), orders(40), orders(0)]],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    const said: string[] = [];
    await withServices(
      runner,
      () => ({}),
      (s) => waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 60_000, pollMs: 2_000, settleMs: 0, onPoll: (l) => said.push(l) }),
    );
    expect(said).toEqual(['orders: 120', 'orders: 40']);
    expect(runner.calls.filter((c) => c === CTL('billing'))).toHaveLength(3);
  });

  test('list_queues timing out: the statistics fill the line, and 0 there is not believed', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL('/'), [{ timedOut: true }, { timedOut: true }, orders(0)]],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    const said: string[] = [];
    // the API says every queue is empty all along: only list_queues's own 0 ends the wait
    await withServices(
      runner,
      (url) =>
        url.endsWith('/api/overview')
          ? { rabbitmq_version: '3.10.8' }
          : [
              { vhost: '/', name: 'orders', messages: 0 },
              { vhost: 'billing', name: 'invoices', messages: 0 },
            ],
      (s) => waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 60_000, pollMs: 2_000, settleMs: 0, onPoll: (l) => said.push(l) }),
    );
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/^no count from list_queues \(list_queues -p \/ \(rabbit1\) timed out.*\); the statistics say empty$/);
  });

  test('while the statistics show messages, list_queues is asked only every 10 s, and its count decides', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL('/'), [orders(300), orders(100), orders(0)]],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    // one request for every vhost: 300 until 10 s, then 100 (lagging behind the broker), then 0 from 24 s
    let asked = 0;
    const stats = () => {
      asked += 1;
      const n = asked <= 6 ? 300 : asked <= 12 ? 100 : 0;
      return [
        { vhost: '/', name: 'orders', messages: n },
        { vhost: 'billing', name: 'invoices', messages: 0 },
        { vhost: '/', name: 'other', messages: 7 },
      ];
    };
    const urls: string[] = [];
    const said: string[] = [];
    await withServices(
      runner,
      (url) => {
        urls.push(url);
        return url.endsWith('/api/overview') ? { rabbitmq_version: '3.10.8' } : stats();
      },
      (s) => waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 120_000, pollMs: 2_000, settleMs: 0, onPoll: (l) => said.push(l) }),
    );
    expect(urls.filter((u) => u.includes('/api/queues')).every((u) => u.endsWith('/api/queues?columns=vhost,name,messages'))).toBe(true);
    // list_queues at 0 s (the first poll), 10 s and 20 s: its 0 at 20 s ends the wait though the statistics still say 100
    expect(runner.calls.filter((c) => c === CTL('/'))).toHaveLength(3);
    expect(said[0]).toBe('orders: 300');
    expect(said[1]).toBe('orders: 300 (statistics)');
    expect(said.at(-1)).toBe('orders: 100 (statistics)');
  });

  test('a queue list_queues does not list is not empty (a rollback removes green on "empty")', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL('/'), [{ stdout: JSON.stringify([{ name: 'other', messages: 0 }]) }, orders(0)]],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    const said: string[] = [];
    await withServices(
      runner,
      () => ({}),
      (s) => waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 60_000, pollMs: 2_000, settleMs: 0, onPoll: (l) => said.push(l) }),
    );
    expect(said).toEqual([expect.stringMatching(/gave no message count for orders \(1 queues listed\)/)]);
  });

  test('check ends the wait at once when it throws (a shovel that stopped), before another poll', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL('/'), orders(5)],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    let checks = 0;
    const check = async () => {
      checks += 1;
      if (checks === 3) throw new Error('shovel gone');
    };
    await withServices(
      runner,
      () => ({}),
      async (s) => {
        await expect(waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 600_000, pollMs: 2_000, check })).rejects.toThrow('shovel gone');
      },
    );
    expect(runner.calls.filter((c) => c === CTL('/'))).toHaveLength(2);
  });

  test('a deadline with what is still there', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL('/'), orders(5)],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    await withServices(
      runner,
      () => ({}),
      async (s) => {
        await expect(waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 10_000, pollMs: 2_000 })).rejects.toThrow(
          /messages still waiting to move after 10 s: orders: 5; run the same command again/,
        );
      },
    );
  });

  test('a zero is trusted only once it has held for settleMs: a stale 0 before the count caught up does not end the wait', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      // 0 (stale: the quorum queue's count not refreshed yet), then the 200 that were there, then empty for good
      [CTL('/'), [orders(0), orders(200), orders(0), orders(0), orders(0), orders(0), orders(0), orders(0), orders(0), orders(0)]],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    const said: string[] = [];
    await withServices(
      runner,
      () => ({}),
      (s) => waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 120_000, pollMs: 2_000, settleMs: 6_000, onPoll: (l) => said.push(l) }),
    );
    expect(said[0]).toMatch(/every queue reads empty; asking again until it has for 6 s/);
    expect(said[1]).toBe('orders: 200');
    // after the 200: zeros at +0, +2, +4 s (said), then +6 s ends it
    expect(said.slice(2)).toEqual(Array(3).fill(expect.stringMatching(/reads empty/)));
    expect(runner.calls.filter((c) => c === CTL('/'))).toHaveLength(6);
  });

  test('a poll without an answer between two zeros neither breaks nor makes the run of zeros', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL('/'), [orders(0), { timedOut: true }, { timedOut: true }, orders(0)]],
      [CTL('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    const said: string[] = [];
    await withServices(
      runner,
      () => ({}),
      (s) => waitEmpty(s, s.cluster.manifest.nodes[0]!, queues, { timeoutMs: 120_000, pollMs: 2_000, settleMs: 6_000, onPoll: (l) => said.push(l) }),
    );
    expect(said).toEqual([
      expect.stringMatching(/reads empty/),
      expect.stringMatching(/^no count from list_queues/),
      expect.stringMatching(/^no count from list_queues/),
    ]);
    expect(runner.calls.filter((c) => c === CTL('/'))).toHaveLength(4);
  });
});

describe('steadyQueueDepths', () => {
  const CTL60 = (vhost: string) => `exec -T rabbit1 rabbitmqctl -q list_queues --vhost=${vhost} --formatter json --timeout=60 -- name messages`;
  const UNRESPONSIVE: Reply = {
    exitCode: 70,
    stderr:
      '%Protocol.UndefinedError{protocol: Enumerable, value: {:badrpc, {:timeout, 60.0, "Some queue(s) are unresponsive, use list_unresponsive_queues command."}}}',
  };
  test('"some queues are unresponsive" is asked again, 5 s later; the answer after it counts', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL60('/'), [UNRESPONSIVE, UNRESPONSIVE, orders(3)]],
      [CTL60('billing'), { stdout: JSON.stringify([{ name: 'invoices', messages: 0 }]) }],
    ]);
    await withServices(
      runner,
      () => ({}),
      async (s) => {
        const before = s.tools.now();
        expect([...(await steadyQueueDepths(s, s.cluster.manifest.nodes[0]!, queues))]).toEqual([
          ['/\u0000orders', 3],
          ['billing\u0000invoices', 0],
        ]);
        expect(s.tools.now() - before).toBe(10_000);
      },
    );
  });

  test('four unresponsive answers, or any other failure, end it with the error', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL60('/'), UNRESPONSIVE],
    ]);
    await withServices(
      runner,
      () => ({}),
      async (s) => {
        await expect(steadyQueueDepths(s, s.cluster.manifest.nodes[0]!, queues)).rejects.toThrow(/unresponsive/);
      },
    );
    expect(runner.calls.filter((c) => c === CTL60('/'))).toHaveLength(4);
    const other = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CTL60('/'), { exitCode: 69, stderr: 'Error: unable to perform an operation on node' }],
    ]);
    await withServices(
      other,
      () => ({}),
      async (s) => {
        await expect(steadyQueueDepths(s, s.cluster.manifest.nodes[0]!, queues)).rejects.toThrow(/unable to perform/);
      },
    );
    expect(other.calls.filter((c) => c === CTL60('/'))).toHaveLength(1);
  });
});
