import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { Definitions } from '../../contract/definitions.js';
import { rabbitSha256Hash, SHA256_HASHING } from '../../contract/rabbitmq-password-hash.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { RefusedError } from '../errors.js';
import { extractJson } from '../rabbit/json-output.js';
import { END_OF_OPTIONS } from '../rabbit/rabbitmqctl.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import type { ActionContext } from '../action.js';
import type { ClusterServices } from '../ops-tools.js';
import { importDefinitions } from '../rabbit/definitions.js';
import { step } from '../steps/step.js';
import { writeMigrationState, type MigrationState } from './migration-state.js';

type Node = ClusterManifest['nodes'][number];

/**
 * The user the shovels log in to blue as. Not the spec's admin: `rabbitmqctl add_vhost` grants
 * nobody anything, so a vhost made by hand is often one the admin cannot use, and a shovel with
 * the admin's credentials was refused there ("access to target virtual host was refused") while
 * the load balancer moved on. This user gets every vhost, exists only for the move, and is removed
 * by `migrate retire` and `migrate rollback`.
 */
export const MOVE_USER = 'rmq-compose-move';

export interface MoveUser {
  name: string;
  /** Generated, kept only in the 0600 migration state (a resumed run's shovels still use it); never shown. */
  password: string;
}

export function newMoveUser(): MoveUser {
  // letters and digits only: it goes into AMQP URIs, and nothing there needs escaping then
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const password = [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('');
  return { name: MOVE_USER, password };
}

/** The vhosts of an export, by name. */
export function vhostsOf(definitions: Definitions): string[] {
  return (definitions.vhosts ?? []).map((v) => (v as { name?: unknown }).name).filter((n): n is string => typeof n === 'string');
}

/** The move user and its permissions on every vhost, as definitions to import (only its password hash, never the password). */
export function moveUserDefinitions(user: MoveUser, vhosts: readonly string[]): Definitions {
  return {
    users: [{ name: user.name, password_hash: rabbitSha256Hash(user.password), hashing_algorithm: SHA256_HASHING, tags: '' }],
    permissions: vhosts.map((vhost) => ({ user: user.name, vhost, configure: '.*', write: '.*', read: '.*' })),
  };
}

/** An export without the move user (blue exported again while a move is under way): green never gets it. */
export function withoutMoveUser(definitions: Definitions): Definitions {
  const isMover = (entry: Record<string, unknown>, key: 'name' | 'user') => entry[key] === MOVE_USER;
  return {
    ...definitions,
    ...(definitions.users ? { users: definitions.users.filter((u) => !isMover(u, 'name')) } : {}),
    ...(definitions.permissions ? { permissions: definitions.permissions.filter((p) => !isMover(p, 'user')) } : {}),
    ...(definitions.topic_permissions ? { topic_permissions: definitions.topic_permissions.filter((p) => !isMover(p, 'user')) } : {}),
  };
}

const Permission = z.looseObject({ vhost: z.string(), configure: z.string(), write: z.string(), read: z.string() });

/**
 * Before any shovel starts: the move user may configure, write and read every vhost of blue, as
 * RabbitMQ itself says (`list_user_permissions`), so no shovel is refused a vhost later.
 */
export async function checkMoveUser(compose: ComposeClient, node: Node, vhosts: readonly string[]): Promise<void> {
  const r = await compose.exec(node.service, ['rabbitmqctl', '-q', 'list_user_permissions', '--formatter', 'json', END_OF_OPTIONS, MOVE_USER], 60_000);
  if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `list_user_permissions ${MOVE_USER} (${node.name})`);
  const granted = z.array(Permission).parse(extractJson(r.stdout || '[]'));
  const missing = vhosts.filter((vhost) => !granted.some((p) => p.vhost === vhost && p.configure === '.*' && p.write === '.*' && p.read === '.*'));
  if (missing.length > 0) {
    throw new RefusedError(
      `${MOVE_USER} could not be given every vhost of blue (missing: ${missing.join(', ')}); nothing was moved and the load balancer did not change. Check blue with \`rabbitmqctl list_permissions\`, then run migrate again`,
    );
  }
}

/**
 * For shovels that ended: the vhosts the move user may not (or no longer) use on blue, or not
 * log in at all, each with why. Empty when its rights are whole: the ending was something else.
 */
export async function moveUserCauses(compose: ComposeClient, node: Node, vhosts: readonly string[]): Promise<Map<string, string>> {
  const r = await compose.exec(node.service, ['rabbitmqctl', '-q', 'list_user_permissions', '--formatter', 'json', END_OF_OPTIONS, MOVE_USER], 60_000);
  if (r.exitCode !== 0 || r.timedOut) {
    // gone (deleted behind the move's back): nothing it runs can log in again
    if (/no_such_user|not.?found|does not exist/i.test(`${r.stdout}${r.stderr}`))
      return new Map(vhosts.map((v) => [v, `the user ${MOVE_USER} no longer exists on blue`]));
    return new Map();
  }
  const granted = z.array(Permission).parse(extractJson(r.stdout || '[]'));
  const missing = vhosts.filter((vhost) => !granted.some((p) => p.vhost === vhost && p.configure === '.*' && p.write === '.*' && p.read === '.*'));
  return new Map(missing.map((v) => [v, `${MOVE_USER} has lost its permissions on vhost ${v} on blue`]));
}

/** Removes the move user from a cluster; one that is not there is fine. */
export async function removeMoveUser(compose: ComposeClient, node: Node): Promise<void> {
  const r = await compose.exec(node.service, ['rabbitmqctl', 'delete_user', END_OF_OPTIONS, MOVE_USER], 60_000);
  if ((r.exitCode !== 0 || r.timedOut) && !/no_such_user|not.?found|does not exist/i.test(`${r.stdout}${r.stderr}`))
    throw new CommandFailedError(r, `delete_user ${MOVE_USER} (${node.name})`);
}

/**
 * The move's own user on blue (above), with every vhost, checked before any shovel starts.
 * Its password is made once and kept in the migration state: a resumed run (or a rollback)
 * imports the same password again, so shovels already logged in with it keep working.
 */
export async function moveUserFor(ctx: ActionContext, s: ClusterServices, state: MigrationState, vhosts: readonly string[]): Promise<MoveUser> {
  const mover = state.mover ?? newMoveUser();
  const node = s.cluster.manifest.nodes[0]!;
  // recorded before it exists: a run stopped halfway still has a rollback remove it
  state.mover = mover;
  await writeMigrationState(s.cluster.dir, state);
  await step(ctx, 'move-user', `a user of the move's own on blue (${mover.name}), with all ${vhosts.length} vhost(s), checked`, async () => {
    await importDefinitions(s.compose, node, moveUserDefinitions(mover, vhosts));
    await checkMoveUser(s.compose, node, vhosts);
  });
  return mover;
}
