import { afterEach, describe, expect, it } from '@jest/globals';
import type { HealthFinding } from '../../../ops/index.js';
import { messageText } from '../../support/fake-slack-api.js';
import { MemoryLock } from '../../support/memory-ops.js';
import { ADMIN, OPS_CHANNEL, startBotFixture, VIEWER, type BotFixture, type FixtureOptions } from './helpers/bot-fixture.js';
import { fakeActions } from './helpers/fake-actions.js';
import { observation, ScriptedOps } from './helpers/scripted-ops.js';

/**
 * Issue 19: who may not read a cluster must not learn that it exists. The fixture configures
 * `seed` and `other`; `nosuch` is configured nowhere. To such a person `other` is just a word:
 * the answer is the one `nosuch` gets, and no answer names a cluster they may not read.
 */
describe('cluster names, to people who may not read them', () => {
  let f: BotFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });
  const start = async (authorization: Record<string, unknown>, more: FixtureOptions['extraConfig'] = {}, opts: FixtureOptions = {}) =>
    (f = await startBotFixture({ ...opts, extraConfig: { authorization, ...more } }));

  /** What `user` is told for `text`, with the cluster word they typed replaced (it is theirs, not a leak). */
  async function answer(fx: BotFixture, user: string, text: string, typed?: string): Promise<string> {
    const before = fx.api.of('response_url').length;
    await fx.slash(user, text);
    await fx.api.waitFor(() => fx.api.of('response_url').length > before, `the answer to ${text}`);
    await fx.bot.idle();
    const said = fx.api.of('response_url').slice(before).map(messageText).join('\n');
    return typed === undefined ? said : said.split(typed).join('<typed>');
  }

  it('not allowed to read: a configured cluster and an unknown name get the same answer, with or without a default cluster', async () => {
    const readOnly = { users: [ADMIN], channels: ['*'] };
    const mutating = { users: [ADMIN], channels: [OPS_CHANNEL] };
    // no default: "Which cluster?" for both (it was "Not allowed" for `other`)
    let fx = await start({ readOnly, mutating }, { defaultCluster: undefined });
    for (const [action, rest] of [
      ['status', ''],
      ['restart', ' rabbit2'],
    ]) {
      const known = await answer(fx, VIEWER, `${action} other${rest}`, 'other');
      expect(known).toContain('Which cluster?');
      expect(known).toBe(await answer(fx, VIEWER, `${action} nosuch${rest}`, 'nosuch'));
    }
    await fx.close();
    // a rule limited to some clusters: the same denial for both, naming none (it was "not allowed on cluster other")
    fx = await start({ readOnly: { ...readOnly, clusters: ['seed'] }, mutating });
    const known = await answer(fx, VIEWER, 'status other', 'other');
    expect(known).toContain('Not allowed: you are not allowed to run `status`');
    expect(known).toBe(await answer(fx, VIEWER, 'status nosuch', 'nosuch'));
    expect(known).not.toMatch(/seed|other/);
  });

  it('allowed to read some clusters: help and "Which cluster?" name only those; a rule allowing a change elsewhere still lets the name be used', async () => {
    const fx = await start(
      { readOnly: { users: ['*'], channels: ['*'], clusters: ['seed'] }, mutating: { users: [ADMIN], channels: [OPS_CHANNEL] } },
      { defaultCluster: undefined },
    );
    const help = await answer(fx, VIEWER, 'help');
    expect(help).toContain('clusters: `seed`');
    expect(help).not.toContain('other');
    const which = await answer(fx, VIEWER, 'restart rabbit2');
    expect(which).toContain('Which cluster? Say `restart &lt;cluster&gt; …` with one of: `seed`.');
    expect(await answer(fx, VIEWER, 'status other', 'other')).toBe(await answer(fx, VIEWER, 'status nosuch', 'nosuch'));
    // ADMIN may not read `other` (readOnly names only seed) but may change it: the name is theirs to use
    await fx.slash(ADMIN, 'restart other rabbit2');
    await fx.api.waitFor(() => fx.state.runs.length === 1, 'the restart');
    await fx.bot.idle();
    expect(fx.audit.outcomes.at(-1)).toMatchObject({ action: 'restart', cluster: 'other', result: 'ok' });
  });

  it('a denial by a rule limited to some clusters names none', async () => {
    // ADMIN may read and change only `other`; the default cluster is seed
    const fx = await start({
      readOnly: { users: ['*'], channels: ['*'], clusters: ['other'] },
      mutating: { users: [ADMIN], channels: [OPS_CHANNEL], clusters: ['other'] },
    });
    const denied = await answer(fx, ADMIN, 'restart rabbit2');
    expect(denied).toContain('Not allowed: `restart` is not allowed on that cluster');
    expect(denied).not.toContain('seed');
    expect(fx.audit.outcomes.at(-1)).toMatchObject({ action: 'restart', cluster: 'seed', result: 'denied' });
  });

  it('alerts: the list shows only readable clusters; an alert on another one is answered as an unknown id', async () => {
    let ops!: ScriptedOps;
    const fx = await start(
      { readOnly: { users: ['*'], channels: ['*'], clusters: ['seed'] }, mutating: { users: [ADMIN, VIEWER], channels: [OPS_CHANNEL], clusters: ['seed'] } },
      { watch: { clusters: { other: { channel: OPS_CHANNEL, intervalSeconds: 30 } } } },
      { ops: (state, audit) => (ops = new ScriptedOps({ actions: fakeActions(state), lock: new MemoryLock(), audit: { sink: audit } })) },
    );
    ops.names = new Map(Object.entries(fx.bot.runtime.config.clusters).map(([name, dir]) => [dir, name]));
    const down: HealthFinding = {
      check: 'node-down',
      severity: 'degraded',
      subject: 'rabbit2',
      what: 'rabbit2 is not running (container exited)',
      action: '`rmq-compose restart rabbit2`',
      run: { action: 'restart', argv: ['rabbit2'] },
    };
    ops.next.set('other', () => observation([down], Date.UTC(2026, 10, 28, 14, 0)));
    await fx.bot.runtime.watcher!.pollNow('other');
    expect(fx.bot.runtime.watcher!.find('other-1')).toBeDefined();

    expect(await answer(fx, VIEWER, 'alerts')).toContain('No open alert');
    const known = await answer(fx, VIEWER, 'ack other-1', 'other-1');
    expect(known).toContain('No open alert `<typed>`');
    expect(known).toBe(await answer(fx, VIEWER, 'ack other-9', 'other-9'));
    // and it was not silenced by the answer that said it does not exist
    expect(fx.bot.runtime.watcher!.find('other-1')?.acked).toBeUndefined();
  });
});
