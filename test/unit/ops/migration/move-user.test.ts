import { createHash } from 'node:crypto';
import type { ComposeClient } from '../../../../ops/compose/compose-client.js';
import {
  checkMoveUser,
  MOVE_USER,
  moveUserCauses,
  moveUserDefinitions,
  newMoveUser,
  removeMoveUser,
  vhostsOf,
  withoutMoveUser,
} from '../../../../ops/migration/move-user.js';
import type { CommandResult } from '../../../../ops/runner/command.js';

const node = { name: 'rabbit1', service: 'rabbit1' } as Parameters<typeof checkMoveUser>[1];
const result = (r: Partial<CommandResult>): CommandResult =>
  ({ command: 'docker compose exec', exitCode: 0, stdout: '', stderr: '', timedOut: false, ...r }) as CommandResult;

/** A compose client that answers exec with one scripted result and records the argv. */
function composeAnswering(answer: Partial<CommandResult>): { compose: ComposeClient; calls: string[][] } {
  const calls: string[][] = [];
  const compose = { exec: async (_service: string, argv: string[]) => (calls.push(argv), result(answer)) } as unknown as ComposeClient;
  return { compose, calls };
}

describe('the move user', () => {
  test('a fresh password of 32 letters and digits each time; definitions carry its hash and every vhost, never the password', () => {
    const a = newMoveUser();
    expect(a.name).toBe(MOVE_USER);
    expect(a.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newMoveUser().password).not.toBe(a.password);
    const defs = moveUserDefinitions(a, ['/', 'orders/eu']);
    expect(JSON.stringify(defs)).not.toContain(a.password);
    const user = defs.users![0] as { password_hash: string; hashing_algorithm: string };
    const bytes = Buffer.from(user.password_hash, 'base64');
    // RabbitMQ's check: sha256(salt ++ password) after the 4-byte salt
    expect(bytes.subarray(4).equals(createHash('sha256').update(bytes.subarray(0, 4)).update(a.password).digest())).toBe(true);
    expect(user.hashing_algorithm).toBe('rabbit_password_hashing_sha256');
    expect(defs.permissions).toEqual([
      { user: MOVE_USER, vhost: '/', configure: '.*', write: '.*', read: '.*' },
      { user: MOVE_USER, vhost: 'orders/eu', configure: '.*', write: '.*', read: '.*' },
    ]);
  });

  test('an export taken while it exists does not carry it to green; everything else stays', () => {
    const exported = {
      vhosts: [{ name: '/' }, { name: 'orders/eu' }],
      users: [{ name: 'admin' }, { name: MOVE_USER }, { name: 'app' }],
      permissions: [
        { user: MOVE_USER, vhost: '/' },
        { user: 'app', vhost: 'orders/eu' },
      ],
      topic_permissions: [{ user: MOVE_USER, vhost: '/' }],
      queues: [{ name: 'q' }],
    };
    expect(withoutMoveUser(exported)).toEqual({
      ...exported,
      users: [{ name: 'admin' }, { name: 'app' }],
      permissions: [{ user: 'app', vhost: 'orders/eu' }],
      topic_permissions: [],
    });
    expect(vhostsOf(exported)).toEqual(['/', 'orders/eu']);
  });

  test('checked against what RabbitMQ says it may do: a vhost without all three rights refuses before any shovel', async () => {
    const granted = [
      { vhost: '/', configure: '.*', write: '.*', read: '.*' },
      { vhost: 'orders/eu', configure: '', write: '.*', read: '.*' },
    ];
    const { compose, calls } = composeAnswering({ stdout: JSON.stringify(granted) });
    await expect(checkMoveUser(compose, node, ['/'])).resolves.toBeUndefined();
    await expect(checkMoveUser(compose, node, ['/', 'orders/eu'])).rejects.toThrow(
      /could not be given every vhost of blue \(missing: orders\/eu\); nothing was moved and the load balancer did not change/,
    );
    expect(calls[0]).toEqual(['rabbitmqctl', '-q', 'list_user_permissions', '--formatter', 'json', '--', MOVE_USER]);
  });

  test('removed with delete_user; one already gone is fine, another failure is not', async () => {
    const gone = composeAnswering({ exitCode: 2, stderr: 'Error:\nUser "rmq-compose-move" does not exist' });
    await expect(removeMoveUser(gone.compose, node)).resolves.toBeUndefined();
    expect(gone.calls[0]).toEqual(['rabbitmqctl', 'delete_user', '--', MOVE_USER]);
    const down = composeAnswering({ exitCode: 69, stderr: 'Error: unable to perform an operation on node' });
    await expect(removeMoveUser(down.compose, node)).rejects.toThrow(/delete_user rmq-compose-move \(rabbit1\)/);
  });

  test('why shovels ended: vhosts it lost, or the user gone; nothing when its rights are whole', async () => {
    const perms = JSON.stringify([{ vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
    const lost = composeAnswering({ stdout: perms });
    expect(await moveUserCauses(lost.compose, node, ['/', 'orders/eu'])).toEqual(
      new Map([['orders/eu', `${MOVE_USER} has lost its permissions on vhost orders/eu on blue`]]),
    );
    expect(lost.calls).toEqual([['rabbitmqctl', '-q', 'list_user_permissions', '--formatter', 'json', '--', MOVE_USER]]);
    const gone = composeAnswering({ exitCode: 2, stderr: 'Error:\n{no_such_user,<<"rmq-compose-move">>}' });
    expect(await moveUserCauses(gone.compose, node, ['orders/eu'])).toEqual(new Map([['orders/eu', `the user ${MOVE_USER} no longer exists on blue`]]));
    expect(await moveUserCauses(composeAnswering({ stdout: perms }).compose, node, ['/'])).toEqual(new Map());
    // blue not answering says nothing about the user: the shovel is waited for as before
    expect(await moveUserCauses(composeAnswering({ exitCode: 69, stderr: 'timeout' }).compose, node, ['/'])).toEqual(new Map());
  });
});
