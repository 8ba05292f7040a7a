import { judgeShovels, shovelWatch, waitShovelsRunning, ShovelFailedError, type ShovelRow } from '../../../../ops/migration/shovel-status.js';

/** Rows as ShovelStatusCommand formats them (rabbitmq_shovel: state, termination_reason as ~p of the reason). */
const row = (name: string, state: string, reason = ''): ShovelRow => ({
  name,
  vhost: name.startsWith('eu') ? 'orders/eu' : '/',
  type: 'dynamic',
  state,
  termination_reason: reason,
  last_changed: '2026-12-07 10:00:00',
});
const planned = [
  { vhost: '/', name: 'rmq-compose-migrate-a', queue: 'orders' },
  { vhost: 'orders/eu', name: 'eu-b', queue: 'billing.v2 (eu)' },
];
const REFUSED = '{failed_to_connect_using_provided_uris,{error,{auth_failure,"ACCESS_REFUSED - access to target virtual host was refused"}}}';

/** A clock that the waits' sleep moves on. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('judgeShovels: every node’s rows read together', () => {
  test('running, terminated with its reason, starting, and one no node lists', () => {
    expect(judgeShovels([row('rmq-compose-migrate-a', 'running')], planned)).toEqual({
      running: 1,
      waiting: [{ ...planned[1], state: 'not started' }],
      failed: [],
    });
    expect(judgeShovels([row('rmq-compose-migrate-a', 'starting'), row('eu-b', 'terminated', REFUSED)], planned)).toEqual({
      running: 0,
      waiting: [{ ...planned[0], state: 'starting' }],
      failed: [{ ...planned[1], reason: REFUSED }],
    });
  });

  test('running on one node wins over an old terminated row on another; a row of another vhost is another shovel', () => {
    const rows = [row('rmq-compose-migrate-a', 'terminated', 'shutdown'), row('rmq-compose-migrate-a', 'running'), { ...row('eu-b', 'running'), vhost: '/' }];
    expect(judgeShovels(rows, planned)).toMatchObject({ running: 1, waiting: [{ name: 'eu-b', state: 'not started' }], failed: [] });
  });
});

describe('before the switch: every shovel running, or the move stops with clients still on blue', () => {
  test('waits while they start, then lets the switch go on', async () => {
    const c = clock();
    const answers = [
      [row('rmq-compose-migrate-a', 'starting')],
      [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'starting')],
      [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'running')],
    ];
    const said: string[] = [];
    await waitShovelsRunning(async () => answers.shift()!, planned, {
      timeoutMs: 60_000,
      pollMs: 2_000,
      ...c,
      rollback: 'migrate rollback',
      onPoll: (l) => said.push(l),
    });
    expect(answers).toEqual([]);
    expect(said).toEqual([
      '0 of 2 shovel(s) running; waiting for orders (starting), billing.v2 (eu) (vhost orders/eu) (not started)',
      '1 of 2 shovel(s) running; waiting for billing.v2 (eu) (vhost orders/eu) (starting)',
    ]);
  });

  test('a shovel that cannot log in to blue refuses at once, with the reason and the rollback', async () => {
    const c = clock();
    const failure = waitShovelsRunning(async () => [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'terminated', REFUSED)], planned, {
      timeoutMs: 60_000,
      pollMs: 2_000,
      ...c,
      rollback: 'migrate rollback',
    });
    await expect(failure).rejects.toThrow(ShovelFailedError);
    await expect(failure).rejects.toThrow(
      /1 shovel\(s\) do not run: billing\.v2 \(eu\) \(vhost orders\/eu\): terminated \(\{failed_to_connect_using_provided_uris.*access to target virtual host was refused.*\n.*The load balancer was not moved: clients are still on blue\. Every shovel was stopped.*Undo the move with `migrate rollback`/s,
    );
    expect(c.now()).toBe(0);
  });

  test('one never running by the deadline refuses with its state', async () => {
    const c = clock();
    await expect(
      waitShovelsRunning(async () => [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'starting')], planned, {
        timeoutMs: 10_000,
        pollMs: 2_000,
        ...c,
        rollback: 'migrate rollback',
      }),
    ).rejects.toThrow(/billing\.v2 \(eu\) \(vhost orders\/eu\): starting\.\nThe load balancer was not moved/);
    expect(c.now()).toBe(10_000);
  });
});

describe('a termination the plugin restarts from is waited out; a lasting one is not', () => {
  const TOPOLOGY = '"failed to set up topology"';
  test('the gate lets a shovel that terminated on a busy source come back, then goes on', async () => {
    const c = clock();
    const answers = [
      [row('rmq-compose-migrate-a', 'terminated', TOPOLOGY), row('eu-b', 'running')],
      [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'running')],
    ];
    const said: string[] = [];
    await waitShovelsRunning(async () => answers.shift()!, planned, {
      timeoutMs: 60_000,
      pollMs: 2_000,
      ...c,
      rollback: 'migrate rollback',
      onPoll: (l) => said.push(l),
    });
    expect(said).toEqual(['1 of 2 shovel(s) running; waiting for orders (terminated ("failed to set up topology"), restarting)']);
  });

  test('one that keeps terminating is refused at the deadline, with its last reason', async () => {
    const c = clock();
    await expect(
      waitShovelsRunning(async () => [row('rmq-compose-migrate-a', 'terminated', TOPOLOGY), row('eu-b', 'running')], planned, {
        timeoutMs: 10_000,
        pollMs: 2_000,
        ...c,
        rollback: 'migrate rollback',
      }),
    ).rejects.toThrow(/orders: terminated \("failed to set up topology"\), restarting\.\nThe load balancer was not moved/);
  });
});

describe('during the drain: a shovel that stops running ends the wait at once', () => {
  test('terminated after the switch: the messages are still on blue, the rollback brings the clients back', async () => {
    const c = clock();
    const check = shovelWatch(async () => [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'terminated', REFUSED)], planned, {
      now: c.now,
      stuckMs: 120_000,
      rollback: 'migrate rollback',
    });
    await expect(check()).rejects.toThrow(
      /terminated \(\{failed_to_connect.*\)\.\nClients are on green; the messages these shovels did not move are still on blue, where no client reaches them\. Undo the move with `migrate rollback`/,
    );
  });

  test('blocked or restarting: tolerated until stuckMs, then refused; running again resets it', async () => {
    const c = clock();
    const answers: ShovelRow[][] = [
      [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'blocked')],
      [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'running')],
      [row('rmq-compose-migrate-a', 'starting'), row('eu-b', 'running')],
      [row('rmq-compose-migrate-a', 'starting'), row('eu-b', 'running')],
    ];
    const check = shovelWatch(async () => answers.shift()!, planned, { now: c.now, stuckMs: 60_000, rollback: 'migrate rollback' });
    await check();
    await c.sleep(50_000);
    await check();
    await c.sleep(50_000);
    await check();
    await c.sleep(60_000);
    await expect(check()).rejects.toThrow(/orders: starting for 60 s/);
  });

  test('reads the status at most every everyMs: polls in between ask no node', async () => {
    const c = clock();
    let reads = 0;
    const check = shovelWatch(
      async () => {
        reads += 1;
        return [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'running')];
      },
      planned,
      { now: c.now, stuckMs: 120_000, rollback: 'migrate rollback', everyMs: 10_000 },
    );
    for (let poll = 0; poll < 11; poll += 1) {
      await check();
      await c.sleep(2_000);
    }
    // at 0, 10 and 20 s of the 22 s polled
    expect(reads).toBe(3);
  });

  test('3.10 says only "failed to connect to source": the move user\'s lost rights make it lasting, refused at once (gate and watch)', async () => {
    const c = clock();
    const vague = [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'terminated', '"failed to connect to source"')];
    const asked: string[][] = [];
    const explain = async (vhosts: readonly string[]) => {
      asked.push([...vhosts]);
      return new Map([['orders/eu', 'rmq-compose-move has lost its permissions on vhost orders/eu on blue']]);
    };
    await expect(
      waitShovelsRunning(async () => vague, planned, { timeoutMs: 60_000, pollMs: 2_000, ...c, rollback: 'migrate rollback', explain }),
    ).rejects.toThrow(
      /billing\.v2 \(eu\) \(vhost orders\/eu\): terminated \("failed to connect to source": rmq-compose-move has lost its permissions on vhost orders\/eu on blue\)\.\nThe load balancer was not moved/,
    );
    expect(c.now()).toBe(0);
    expect(asked).toEqual([['orders/eu']]);
    const watch = shovelWatch(async () => vague, planned, { now: c.now, stuckMs: 120_000, rollback: 'migrate rollback', explain });
    await expect(watch()).rejects.toThrow(/lost its permissions.*\nClients are on green/s);
  });

  test("an ending its user's rights do not explain stays a restart to wait for", async () => {
    const c = clock();
    const answers = [
      [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'terminated', '"failed to set up topology"')],
      [row('rmq-compose-migrate-a', 'running'), row('eu-b', 'running')],
    ];
    await waitShovelsRunning(async () => answers.shift()!, planned, {
      timeoutMs: 60_000,
      pollMs: 2_000,
      ...c,
      rollback: 'migrate rollback',
      explain: async () => new Map(),
    });
    expect(answers).toEqual([]);
  });
});
