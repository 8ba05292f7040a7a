import { describe, expect, it } from '@jest/globals';
import { benchAck } from '../../../bench/bot-ack.js';

describe('bench/bot-ack', () => {
  it('measures ack latency over signed requests, far under Slack\'s 3 s', async () => {
    const { p50, p99 } = await benchAck(50);
    expect(p50).toBeGreaterThan(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(p99).toBeLessThan(3000);
  });
});
