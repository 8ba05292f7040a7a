import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { messageText } from '../../support/fake-slack-api.js';
import { BOT_TOKEN, CLUSTER_PASSWORD, Gate, SIGNING_SECRET } from './helpers/fake-actions.js';
import { ADMIN, ONCALL, ONCALL_GROUP, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';

describe('one mutating action per cluster; errors; secrets', () => {
  let f: BotFixture;
  beforeEach(async () => {
    f = await startBotFixture();
  });
  afterEach(async () => {
    f.state.restartGate?.open();
    await f.close();
  });

  it('tells a second mutating command who is running what since when, and frees the cluster afterwards', async () => {
    f.api.groups.set(ONCALL_GROUP, [ONCALL]);
    f.state.restartGate = new Gate();
    await f.slash(ADMIN, 'restart rabbit2');
    await f.api.waitFor(() => f.state.runs.length === 1, 'first restart to start');
    await f.slash(ONCALL, 'restart rabbit3');
    // the audit line is written before the answer is posted: wait for both
    await f.api.waitFor(() => f.audit.outcomes.some((e) => e.result === 'busy') && f.api.of('response_url').length > 0, 'busy answer');
    const busy = messageText(f.api.of('response_url').at(-1)!);
    expect(busy).toContain('busy');
    expect(busy).toContain(`<@${ADMIN}> is running`);
    expect(busy).toContain('/rmq restart seed rabbit2');
    expect(busy).toMatch(/since <!date\^\d+/);
    // Read-only actions are not blocked by the lock.
    await f.slash(VIEWER, 'status');
    await f.api.waitFor(() => f.state.runs.some((r) => r.action === 'status'), 'status during restart');
    f.state.restartGate.open();
    await f.api.waitFor(() => f.audit.outcomes.some((e) => e.action === 'restart' && e.result === 'ok'), 'first restart to finish');
    await f.bot.idle();
    await f.slash(ONCALL, 'restart rabbit3');
    await f.api.waitFor(() => f.state.runs.filter((r) => r.action === 'restart').length === 2, 'second restart');
    await f.bot.idle();
  });

  it('shows a UserError as written', async () => {
    await f.slash(VIEWER, 'oops');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'oops');
    await f.bot.idle();
    expect(messageText(f.api.of('chat.update').at(-1)!)).toContain('rabbit9 is not part of this cluster (as written)');
    expect(f.audit.outcomes[0]!.result).toBe('failed');
  });

  it('hides an unexpected error behind an error id that is in the log, and never leaks a secret', async () => {
    await f.slash(VIEWER, 'boom');
    await f.api.waitFor(() => f.audit.outcomes.length === 1, 'boom');
    await f.bot.idle();
    const shown = messageText(f.api.of('chat.update').at(-1)!);
    const id = /error id ([0-9a-f]{8})/.exec(shown)?.[1];
    expect(id).toBeDefined();
    expect(shown).not.toContain('connect failed');
    expect(f.logger.lines.some((l) => l.includes(`[error ${id}]`) && l.includes('connect failed'))).toBe(true);
    expect(f.audit.outcomes[0]).toMatchObject({ result: 'error', detail: `error id ${id}` });

    const secrets = [BOT_TOKEN, SIGNING_SECRET, CLUSTER_PASSWORD, 'cookie-cookie-cookie'];
    // Everything sent to "Slack" except the Authorization of the API call itself (and auth.test's token field).
    const sent = f.api.calls.map((c) => (c.method === 'auth.test' ? '' : c.raw.replace(/token=[^&]*/g, '')));
    for (const s of secrets) {
      for (const body of sent) expect(body).not.toContain(s);
      for (const line of f.logger.lines) expect(line).not.toContain(s);
      expect(JSON.stringify(f.audit.outcomes)).not.toContain(s);
    }
  });
});
