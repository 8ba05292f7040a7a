import { judgeMetrics, type MetricSample } from '../../../../ops/index.js';

const sample = (at: number, published: number, queues: MetricSample['queues'] = []): MetricSample => ({
  at,
  published,
  delivered: undefined,
  ready: undefined,
  unacked: undefined,
  queues,
});
const q = (name: string, messages: number, consumers: number) => ({ vhost: '/', name, messages, consumers });

describe('judgeMetrics', () => {
  test('queue depth over the limit: one finding naming the deepest first', () => {
    const s = [sample(0, 0, [q('a', 50, 1), q('b', 20_000, 1), q('c', 12_000, 0)])];
    const [f] = judgeMetrics(s, { queueDepth: 10_000 });
    expect(f).toMatchObject({ check: 'queue-depth', subject: '2 queues' });
    expect(f!.what).toMatch(/b \(20,000\), c \(12,000\)/);
    expect(judgeMetrics(s, {})).toEqual([]);
  });

  test('no consumers: only queues holding at least minMessages', () => {
    const s = [sample(0, 0, [q('idle', 0, 0), q('orphan', 3, 0), q('busy', 9, 2)])];
    expect(judgeMetrics(s, { noConsumers: { minMessages: 1 } }).map((f) => f.subject)).toEqual(['orphan']);
    expect(judgeMetrics(s, { noConsumers: { minMessages: 5 } })).toEqual([]);
  });

  test('publish drop: the last step against the mean before it; a counter reset is no drop', () => {
    const limits = { publishDrop: { percent: 80, windowSeconds: 600, minRate: 5 } };
    // 100 msg/s for five minutes, then 10 msg/s
    const steady = [0, 1, 2, 3, 4, 5].map((m) => sample(m * 60_000, m * 6_000));
    expect(judgeMetrics(steady, limits)).toEqual([]);
    const dropped = [...steady, sample(6 * 60_000, 30_000 + 600)];
    const [f] = judgeMetrics(dropped, limits);
    expect(f?.what).toMatch(/fell to 10\.0 msg\/s from 100 msg\/s/);
    const reset = [...steady, sample(6 * 60_000, 50)];
    expect(judgeMetrics(reset, limits)).toEqual([]);
    // below minRate nothing is judged: an idle cluster going quieter is not news
    const quiet = [0, 1, 2].map((m) => sample(m * 60_000, m * 60));
    expect(judgeMetrics([...quiet, sample(3 * 60_000, 120)], limits)).toEqual([]);
  });
});
