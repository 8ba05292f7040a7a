import type { Definitions } from '../../contract/definitions.js';
import type { Finding } from '../../lib/findings.js';
import { escapeControlCharacters } from '../render/escape-control-characters.js';
import type { BootDefinitions } from './parse-definitions.js';
import { DEFINITIONS_SPEC_PATH } from './parse-definitions.js';
import { defaultUserHash, SHA256_HASHING } from './password-hash.js';

/** The vhost RabbitMQ would have created; the spec's policies and `deploy` use it. */
const DEFAULT_VHOST = '/';

export interface DefaultUser {
  name: string;
  password: string;
}

/** True when the file brings its own entry for that user. */
export function definesUser(definitions: BootDefinitions, name: string): boolean {
  return (definitions.users ?? []).some((u) => u.name === name);
}

/**
 * What the user should know about the default user and the file; needs no password, so
 * `validate` says it before any secret exists.
 */
export function defaultUserFindings(definitions: BootDefinitions, file: string, userName: string, passwordVariable: string): Finding[] {
  if (!definesUser(definitions, userName)) return [];
  return [
    {
      path: DEFINITIONS_SPEC_PATH,
      message: `${escapeControlCharacters(file)} defines the default user "${escapeControlCharacters(userName)}" itself: its entry (password hash, tags, permissions) is kept as written and ${passwordVariable} from .env is not its password; rmq-compose status logs in to the management API with ${passwordVariable}, so give it the same password, or remove the user from the file and gen adds it`,
    },
  ];
}

/**
 * The file as the nodes import it. A node that imports definitions at boot creates no default
 * user and no default vhost (rabbit.erl, maybe_insert_default_data), so unless the file has its
 * own entry for the default user, gen adds it: tag administrator, a password hash of the .env
 * password, and full permissions on every vhost of the file and "/". "/" is added when missing.
 * Everything else stays as the file has it, in its order.
 */
export function withDefaultUser(
  definitions: BootDefinitions,
  user: DefaultUser,
  clusterName: string,
): { definitions: Definitions; addedUser: boolean; addedVhost: boolean } {
  const vhosts = [...(definitions.vhosts ?? [])];
  const addedVhost = !vhosts.some((v) => v.name === DEFAULT_VHOST);
  if (addedVhost) vhosts.push({ name: DEFAULT_VHOST });
  if (definesUser(definitions, user.name)) return { definitions: { ...definitions, vhosts }, addedUser: false, addedVhost };

  const users = [
    ...(definitions.users ?? []),
    // tags as a string: older releases read only that form, newer ones read both
    { name: user.name, password_hash: defaultUserHash(user.password, clusterName, user.name), hashing_algorithm: SHA256_HASHING, tags: 'administrator' },
  ];
  const permissions = [...(definitions.permissions ?? [])];
  for (const vhost of vhosts) {
    if (permissions.some((p) => p.user === user.name && p.vhost === vhost.name)) continue;
    permissions.push({ user: user.name, vhost: vhost.name, configure: '.*', write: '.*', read: '.*' });
  }
  return { definitions: { ...definitions, users, vhosts, permissions }, addedUser: true, addedVhost };
}

/**
 * The bytes of definitions.json. Characters JSON may leave raw but YAML may not carry in a block
 * (C1 controls, line and paragraph separators) are escaped: remote machines get this text inside
 * their compose file. They can only stand inside JSON strings, where \uXXXX means the same.
 */
export function definitionsJson(definitions: Definitions): string {
  return `${JSON.stringify(definitions, null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
