import { rm } from 'node:fs/promises';
import {
  OpsCore,
  RequestRunner,
  needsConfirmation,
  type ActionDefinition,
  type AuthorizationPolicy,
  type Confirmer,
  type OpsRequest,
  type RequestOrigin,
} from '../../../../ops/index.js';
import { UNCHECKED_REASON } from '../../../../ops/request/authorize.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir } from '../fake-runner.js';

/** Three kinds of action, run in memory: what the runner decides around them is under test. */
function actions(ran: string[]): ActionDefinition[] {
  const make = (name: string, mutating: boolean, dangerous: boolean): ActionDefinition => ({
    name,
    usage: name,
    summary: name,
    mutating,
    dangerous,
    parse: () => ({}),
    run: async () => {
      ran.push(name);
      return { ok: true, headline: `${name} done`, text: '', data: {} };
    },
  });
  // like upgrade: dangerous, but a dry run changes nothing (catalog mutatingFor)
  const planned = { ...make('upgrade', true, true), mutatingFor: (argv: readonly string[]) => !argv.includes('--dry-run') };
  return [make('status', false, false), make('restart', true, false), make('forget', true, true), planned];
}

const ALLOW: AuthorizationPolicy = { check: async () => ({ allowed: true }) };
/** Records whether it was asked, and answers as told. */
function confirmer(answer: 'confirmed' | 'declined' | 'deferred'): Confirmer & { asked: number } {
  const c = { asked: 0, confirm: async () => (c.asked++, answer) };
  return c;
}

describe('the request runner: one path, one rule for every surface', () => {
  let dir: string;
  let audit: MemoryAudit;
  let ownLog: MemoryAudit;
  let lock: MemoryLock;
  let ran: string[];
  const runner = (policy: AuthorizationPolicy = ALLOW, warnings: string[] = []) =>
    new RequestRunner({
      core: new OpsCore({ actions: actions(ran), audit: { sink: audit }, lock }),
      policy,
      ownLog,
      secrets: () => ['tok-SECRET'],
      warn: (m) => warnings.push(m),
    });
  const request = (action: string, origin: RequestOrigin = 'chat', extra: Partial<OpsRequest> = {}): OpsRequest => ({
    actor: { via: origin === 'terminal' ? 'cli' : 'slack', id: 'U1', channel: 'C1' },
    origin,
    action,
    argv: [],
    cluster: 'seed',
    dir,
    startedAt: Date.parse('2026-12-01T00:00:00Z'),
    ...extra,
  });
  const results = () => audit.entries.map((e) => `${e.action}:${e.result}`);

  beforeAll(async () => {
    dir = await clusterDir(fakeManifest());
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  beforeEach(() => {
    audit = new MemoryAudit();
    ownLog = new MemoryAudit();
    lock = new MemoryLock();
    ran = [];
  });

  test('a denial is refused before the cluster is touched, and audited in its log', async () => {
    const outcome = await runner({ check: async () => ({ allowed: false, reason: 'not you' }) }).run(request('restart'), confirmer('confirmed'));
    expect(outcome).toEqual({ kind: 'denied', reason: 'not you' });
    expect(ran).toEqual([]);
    expect(audit.entries).toMatchObject([{ action: 'restart', cluster: 'seed', result: 'denied', detail: 'not you' }]);
  });

  test('a policy that throws is a denial (fail closed), audited, and the operator is told why', async () => {
    const warnings: string[] = [];
    const outcome = await runner(
      {
        check: async () => {
          throw new Error('usergroups.users.list: ratelimited');
        },
      },
      warnings,
    ).run(request('status'), confirmer('confirmed'));
    expect(outcome).toEqual({ kind: 'denied', reason: UNCHECKED_REASON });
    expect(ran).toEqual([]);
    expect(results()).toEqual(['status:denied']);
    expect(warnings.join('\n')).toContain('ratelimited');
  });

  test('a busy cluster is refused before anyone is asked', async () => {
    const cluster = { dir, manifest: fakeManifest() };
    await lock.acquire(cluster, { actor: { via: 'cli', id: 'alice' }, action: 'upgrade', args: [], since: new Date(0) });
    const asked = confirmer('confirmed');
    const outcome = await runner().run(request('forget'), asked);
    expect(outcome).toMatchObject({ kind: 'busy', holder: { actor: { id: 'alice' } } });
    expect(asked.asked).toBe(0);
    expect(results()).toEqual(['forget:busy']);
  });

  test('the one confirmation rule: dangerous always; any change when it came from an alert button', () => {
    const kinds = { status: { mutating: false, dangerous: false }, restart: { mutating: true, dangerous: false }, forget: { mutating: true, dangerous: true } };
    const asks = (origin: RequestOrigin) =>
      Object.entries(kinds)
        .filter(([, k]) => needsConfirmation(k, origin))
        .map(([n]) => n);
    expect(asks('terminal')).toEqual(['forget']);
    expect(asks('chat')).toEqual(['forget']);
    expect(asks('alert-button')).toEqual(['restart', 'forget']);
  });

  test.each([
    ['terminal', 'forget', 1],
    ['chat', 'forget', 1],
    ['alert-button', 'forget', 1],
    ['terminal', 'restart', 0],
    ['chat', 'restart', 0],
    ['alert-button', 'restart', 1],
    ['alert-button', 'status', 0],
  ] as const)('from %s, %s is asked about %i time(s), then runs', async (origin, action, times) => {
    const asked = confirmer('confirmed');
    const outcome = await runner().run(request(action, origin), asked);
    expect(asked.asked).toBe(times);
    expect(outcome).toMatchObject({ kind: 'done', result: { ok: true } });
    expect(ran).toEqual([action]);
  });

  test.each(['terminal', 'chat', 'alert-button'] as const)('from %s, a dry run is never asked about and runs while the cluster is busy', async (origin) => {
    await lock.acquire({ dir, manifest: fakeManifest() }, { actor: { via: 'cli', id: 'alice' }, action: 'restart', args: [], since: new Date(0) });
    const asked = confirmer('declined');
    const outcome = await runner().run(request('upgrade', origin, { argv: ['--dry-run'] }), asked);
    expect(asked.asked).toBe(0);
    expect(outcome).toMatchObject({ kind: 'done', result: { ok: true } });
    expect(ran).toEqual(['upgrade']);
    // the same words without --dry-run: asked first (and here busy)
    expect(await runner().run(request('upgrade', origin), confirmer('confirmed'))).toMatchObject({ kind: 'busy' });
  });

  test('declined: cancelled, audited, nothing run', async () => {
    const outcome = await runner().run(request('forget', 'terminal'), confirmer('declined'));
    expect(outcome).toMatchObject({ kind: 'cancelled', error: { message: 'forget cancelled; nothing was changed' } });
    expect(ran).toEqual([]);
    expect(results()).toEqual(['forget:cancelled']);
  });

  test('a confirmer that cannot ask (no terminal) cancels with its own words, audited', async () => {
    const outcome = await runner().run(request('forget', 'terminal'), {
      confirm: async () => {
        throw new Error('add --yes');
      },
    });
    expect(outcome).toMatchObject({ kind: 'cancelled', error: { message: 'add --yes' } });
    expect(results()).toEqual(['forget:cancelled']);
  });

  test('deferred (Slack): stops at needs-confirmation; resumed, exactly the prepared action runs, with who confirmed', async () => {
    const r = runner();
    const req = request('restart', 'alert-button');
    const outcome = await r.run(req, confirmer('deferred'));
    expect(outcome.kind).toBe('needs-confirmation');
    expect(ran).toEqual([]);
    if (outcome.kind !== 'needs-confirmation') return;
    const done = await r.resume({ request: req, prepared: outcome.prepared }, { by: req.actor, secondPerson: false, at: req.startedAt + 1000 });
    expect(done.kind).toBe('done');
    expect(ran).toEqual(['restart']);
    expect(results()).toEqual(['restart:pending', 'restart:started', 'restart:ok']);
    expect(audit.entries.at(-1)!.detail).toContain('confirmed by U1');
  });

  test('a second person who may not approve is refused and audited; the pending request is untouched', async () => {
    let calls = 0;
    const r = runner({ check: async () => (calls++ === 0 ? { allowed: true } : { allowed: false, reason: 'not on call' }) });
    const req = request('forget');
    const outcome = await r.run(req, confirmer('deferred'));
    if (outcome.kind !== 'needs-confirmation') throw new Error(outcome.kind);
    const approver = { via: 'slack' as const, id: 'U2', channel: 'C1' };
    expect(await r.resume({ request: req, prepared: outcome.prepared }, { by: approver, secondPerson: true, at: req.startedAt })).toEqual({
      kind: 'denied',
      reason: 'not on call',
    });
    expect(ran).toEqual([]);
    expect(audit.entries.at(-1)).toMatchObject({ result: 'denied', detail: 'approval by U2: not on call' });
  });

  test('cancel: the requester may; someone the policy refuses may not, and that is audited too', async () => {
    const r = runner({ check: async (q) => (q.actor.id === 'U1' ? { allowed: true } : { allowed: false, reason: 'no' }) });
    const req = request('forget');
    const outcome = await r.run(req, confirmer('deferred'));
    if (outcome.kind !== 'needs-confirmation') throw new Error(outcome.kind);
    const waiting = { request: req, prepared: outcome.prepared };
    expect(await r.cancel(waiting, { via: 'slack', id: 'U9', channel: 'C1' })).toEqual({ allowed: false, reason: 'no' });
    expect(await r.cancel(waiting, req.actor)).toEqual({ allowed: true });
    expect(results()).toEqual(['forget:pending', 'forget:denied', 'forget:cancelled']);
  });

  test('the same request from the terminal and from Slack: the same decisions, the same audit lines', async () => {
    for (const origin of ['terminal', 'chat'] as const) {
      audit = new MemoryAudit();
      ran = [];
      const outcome = await runner().run(request('restart', origin), confirmer('declined'));
      expect(outcome.kind).toBe('done');
      expect(results()).toEqual(['restart:started', 'restart:ok']);
    }
  });

  test('nothing starts once the surface is stopping: cancelled and audited', async () => {
    const stop = new AbortController();
    stop.abort(new Error('the bot is stopping'));
    const outcome = await runner().run(request('restart'), confirmer('confirmed'), { signal: stop.signal });
    expect(outcome).toMatchObject({ kind: 'cancelled', error: { message: 'the bot is stopping' } });
    expect(ran).toEqual([]);
    expect(results()).toEqual(['restart:cancelled']);
  });

  test("lines about no loadable cluster go to the surface's own log, masked; a cluster's line masks its .env", async () => {
    const r = runner();
    await r.note(request('help', 'chat', { dir: undefined, cluster: undefined, argv: ['tok-SECRET'] }), 'ok');
    await r.note(request('ack', 'chat', { argv: ['COOKIESECRETCOOKIE'] }), 'ok', 'acknowledged seed-1');
    expect(ownLog.entries).toMatchObject([{ action: 'help', args: ['***'], result: 'ok' }]);
    expect(audit.entries).toMatchObject([{ action: 'ack', cluster: 'seed', args: ['***'], detail: 'acknowledged seed-1' }]);
  });

  test('bad arguments or an unknown folder: rejected with the error, audited where it can be', async () => {
    const r = runner();
    const missing = await r.run(request('status', 'chat', { dir: '/nonexistent/rmq' }), confirmer('confirmed'));
    expect(missing).toMatchObject({ kind: 'rejected', error: { name: 'ClusterNotFoundError' } });
    expect(ownLog.entries).toMatchObject([{ action: 'status', result: 'rejected' }]);
    const unknown = await r.run(request('frobnicate'), confirmer('confirmed'));
    expect(unknown.kind).toBe('rejected');
    expect(audit.entries).toMatchObject([{ action: 'frobnicate', result: 'rejected', detail: 'unknown action' }]);
  });
});
