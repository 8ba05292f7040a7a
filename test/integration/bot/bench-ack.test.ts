import { describe, expect, it } from '@jest/globals';
import { benchAck } from '../../../bench/bot-ack.js';

/**
 * The bench's harness works: every signed request is acked (benchAck throws on any other HTTP
 * status) and the figures are ordered. How fast is the bench's to say (`npm run bench -- slack`,
 * p99 against Slack's 3 s deadline): a test asserts no time.
 */
describe('bench/bot-ack', () => {
  it('acks every signed request and reports ordered percentiles', async () => {
    const { p50, p99 } = await benchAck(50);
    expect(p50).toBeGreaterThan(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
  });
});
