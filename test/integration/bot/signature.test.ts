import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postSigned, slashBody } from '../../support/signed-request.js';
import { SIGNING_SECRET } from './helpers/fake-actions.js';
import { OPS_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';

describe('HTTP receiver: Slack request signatures', () => {
  let f: BotFixture;
  beforeAll(async () => {
    f = await startBotFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('acks a correctly signed slash command with 200 well inside 3 s, then answers via response_url', async () => {
    const res = await f.slash(VIEWER, 'status');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    await f.api.waitFor(() => f.state.runs.length === 1, 'status to run');
    await f.bot.idle();
    expect(f.state.runs[0]).toMatchObject({ action: 'status', actor: VIEWER });
  });

  it.each([
    ['a signature made with the wrong secret', { secret: 'not-the-signing-secret' }],
    ['a stale timestamp (6 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['no signature headers', { unsigned: true }],
  ])('rejects %s with 401 and runs nothing', async (_what, sign) => {
    const before = { runs: f.state.runs.length, calls: f.api.calls.length, audit: f.audit.outcomes.length };
    const res = await f.slash(VIEWER, 'status', OPS_CHANNEL, sign);
    expect(res.status).toBe(401);
    await f.bot.idle();
    expect(f.state.runs.length).toBe(before.runs);
    expect(f.api.calls.length).toBe(before.calls);
    expect(f.audit.outcomes.length).toBe(before.audit);
  });

  it('rejects a body altered after signing', async () => {
    const body = slashBody({ user_id: VIEWER, channel_id: OPS_CHANNEL, text: 'status', response_url: f.api.responseUrl() });
    const ts = Math.floor(Date.now() / 1000);
    const { sign } = await import('../../support/signed-request.js');
    const signature = sign(SIGNING_SECRET, ts, body);
    const tampered = body.replace('status', 'restart');
    const res = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          f.url,
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
          },
          (r) => {
            r.resume();
            resolve(r.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(tampered);
      }, reject);
    });
    expect(res).toBe(401);
  });

  it('still accepts a correctly signed request with the real secret afterwards', async () => {
    const res = await postSigned(
      f.url,
      SIGNING_SECRET,
      slashBody({ user_id: VIEWER, channel_id: OPS_CHANNEL, text: 'help', response_url: f.api.responseUrl() }),
    );
    expect(res.status).toBe(200);
    await f.api.waitFor(() => f.api.of('response_url').some((c) => JSON.stringify(c.params).includes('/rmq restart')), 'help reply');
  });
});
