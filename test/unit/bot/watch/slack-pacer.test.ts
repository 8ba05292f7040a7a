import { SlackPacer } from '../../../../bot/watch/slack-pacer.js';

/** A clock that only moves when the pacer sleeps: the spacing is measured, not waited for. */
function virtualTime() {
  let now = 0;
  const sleeps: number[] = [];
  return { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)), sleeps };
}

describe('SlackPacer', () => {
  test('writes to one channel go out in order, gapMs apart; other channels are not held up', async () => {
    const t = virtualTime();
    const pacer = new SlackPacer(1_000, t.sleep, t.now);
    const sent: Array<[string, number]> = [];
    const write = (label: string) => async () => void sent.push([label, t.now()]);
    await Promise.all([pacer.run('C1', write('a')), pacer.run('C1', write('b')), pacer.run('C2', write('x')), pacer.run('C1', write('c'))]);
    expect(sent.filter(([l]) => l !== 'x')).toEqual([
      ['a', 0],
      ['b', 1_000],
      ['c', 2_000],
    ]);
    expect(sent.find(([l]) => l === 'x')?.[1]).toBeLessThan(1_000);
  });

  test('a queued update of the same message is replaced by the newer one', async () => {
    const t = virtualTime();
    const pacer = new SlackPacer(1_000, t.sleep, t.now);
    const sent: string[] = [];
    const first = pacer.run('C1', async () => void sent.push('post'));
    const stale = pacer.run('C1', async () => (sent.push('update 1'), 1), 'update:1.0');
    const fresh = pacer.run('C1', async () => (sent.push('update 2'), 2), 'update:1.0');
    await first;
    expect(await stale).toBeUndefined();
    expect(await fresh).toBe(2);
    expect(sent).toEqual(['post', 'update 2']);
  });

  test('rate limited: waits Retry-After and tries again; other errors and too many retries reach the caller', async () => {
    const t = virtualTime();
    const pacer = new SlackPacer(1_000, t.sleep, t.now, 2);
    let calls = 0;
    const limited = Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    const result = await pacer.run('C1', async () => {
      calls += 1;
      if (calls < 3) throw limited;
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(t.sleeps.filter((ms) => ms === 7_000)).toHaveLength(2);
    await expect(
      pacer.run('C1', async () => {
        throw limited;
      }),
    ).rejects.toThrow('rate limited');
    await expect(
      pacer.run('C1', async () => {
        throw new Error('channel_not_found');
      }),
    ).rejects.toThrow('channel_not_found');
  });
});
