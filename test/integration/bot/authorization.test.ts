import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { messageText } from '../../support/fake-slack-api.js';
import { ADMIN, ONCALL, ONCALL_GROUP, OPS_CHANNEL, OTHER_CHANNEL, startBotFixture, VIEWER, type BotFixture } from './helpers/bot-fixture.js';

describe('authorization (deny by default) and the audit log', () => {
  let f: BotFixture;
  beforeEach(async () => {
    f = await startBotFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const lastReply = () => messageText(f.api.of('response_url').at(-1)!);
  async function run(user: string, text: string, channel = OPS_CHANNEL) {
    const res = await f.slash(user, text, channel);
    expect(res.status).toBe(200);
    await f.api.waitFor(() => f.audit.outcomes.length > 0 && f.audit.outcomes.at(-1)!.args !== undefined, 'audit');
    await f.bot.idle();
  }

  it('lets anyone run read-only status (rule readOnly: users "*")', async () => {
    await run(VIEWER, 'status', OTHER_CHANNEL);
    expect(f.state.runs).toEqual([{ action: 'status', args: {}, actor: VIEWER }]);
    expect(f.audit.outcomes.at(-1)).toMatchObject({
      action: 'status',
      cluster: 'seed',
      result: 'ok',
      actor: { via: 'slack', id: VIEWER, channel: OTHER_CHANNEL },
    });
  });

  it('denies a mutating action to someone not listed, runs nothing, and audits the denial', async () => {
    await run(VIEWER, 'restart rabbit2');
    expect(f.state.runs).toEqual([]);
    expect(lastReply()).toContain('Not allowed');
    expect(f.audit.outcomes.at(-1)).toMatchObject({ action: 'restart', args: ['rabbit2'], result: 'denied', actor: { id: VIEWER } });
    expect(f.api.of('chat.postMessage')).toEqual([]);
  });

  it('allows a member of an allowed user group (usergroups.users.list, cached)', async () => {
    f.api.groups.set(ONCALL_GROUP, [ONCALL]);
    await run(ONCALL, 'restart rabbit2');
    await run(ONCALL, 'restart rabbit3');
    expect(f.state.runs.map((r) => r.args)).toEqual([{ node: 'rabbit2' }, { node: 'rabbit3' }]);
    expect(f.api.of('usergroups.users.list')).toHaveLength(1);
    expect(f.api.of('usergroups.users.list')[0]!.params.usergroup).toBe(ONCALL_GROUP);
  });

  it('denies an allowed user in a channel that is not allowed for the action', async () => {
    await run(ADMIN, 'restart rabbit2', OTHER_CHANNEL);
    expect(f.state.runs).toEqual([]);
    expect(lastReply()).toContain('not allowed in this channel');
    expect(f.audit.outcomes.at(-1)!.result).toBe('denied');
  });

  it('fails closed when the user-group lookup fails', async () => {
    f.api.failing.set('usergroups.users.list', 'missing_scope');
    await run(ONCALL, 'restart rabbit2');
    expect(f.state.runs).toEqual([]);
    expect(f.audit.outcomes.at(-1)!.result).toBe('denied');
  });

  it('rejects unknown actions and bad arguments before anything runs, and audits them', async () => {
    await run(ADMIN, 'frobnicate');
    expect(lastReply()).toContain('Unknown action');
    await run(ADMIN, 'restart rabbit1;rm -rf /');
    expect(lastReply()).toContain('unknown node');
    expect(f.state.runs).toEqual([]);
    expect(f.audit.outcomes.map((e) => e.result)).toEqual(['rejected', 'rejected']);
  });

  it('takes the cluster from the second word when it names one', async () => {
    await run(VIEWER, 'status other');
    expect(f.audit.outcomes.at(-1)).toMatchObject({ cluster: 'other', result: 'ok' });
  });
});
