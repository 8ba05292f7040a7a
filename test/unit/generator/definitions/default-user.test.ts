import { createHash } from 'node:crypto';
import { defaultUserFindings, definitionsJson, withDefaultUser } from '../../../../generator/definitions/default-user.js';
import type { BootDefinitions } from '../../../../generator/definitions/parse-definitions.js';
import { formatFinding } from '../../../../lib/findings.js';

const ADMIN = { name: 'admin', password: 'the-admin-password' };
const APP_USER = {
  name: 'app',
  password_hash: 'obLD1Kc0E3iU6g940oRel2rI3qu5lYXjma37t6YyieouL+lZ',
  hashing_algorithm: 'rabbit_password_hashing_sha256',
  tags: ['monitoring'],
};
const FILE: BootDefinitions = {
  rabbit_version: '4.3.6',
  users: [APP_USER],
  vhosts: [{ name: 'orders' }, { name: 'billing' }],
  permissions: [{ user: 'app', vhost: 'orders', configure: '^orders\\.', write: '^orders\\.', read: '^orders\\.' }],
  queues: [{ name: 'orders.in', vhost: 'orders', durable: true, auto_delete: false, arguments: { 'x-queue-type': 'quorum' } }],
};

/** True when `hash` is the sha256 scheme's hash of `password` (checked here with node:crypto). */
function hashMatches(hash: string, password: string): boolean {
  const bytes = Buffer.from(hash, 'base64');
  return createHash('sha256')
    .update(Buffer.concat([bytes.subarray(0, 4), Buffer.from(password)]))
    .digest()
    .equals(bytes.subarray(4));
}

describe('the default user gets into the boot definitions (RabbitMQ creates none when it imports them)', () => {
  test('added: administrator, a sha256 hash of the password, full permissions on every vhost and "/"', () => {
    const { definitions, addedUser, addedVhost } = withDefaultUser(FILE, ADMIN, 'prod');
    expect({ addedUser, addedVhost }).toEqual({ addedUser: true, addedVhost: true });
    const admin = definitions.users!.find((u) => u.name === 'admin') as Record<string, string>;
    expect(admin).toEqual({ name: 'admin', password_hash: expect.any(String), hashing_algorithm: 'rabbit_password_hashing_sha256', tags: 'administrator' });
    expect(hashMatches(admin['password_hash']!, ADMIN.password)).toBe(true);
    expect(definitions.vhosts!.map((v) => v.name)).toEqual(['orders', 'billing', '/']);
    expect(definitions.permissions!.filter((p) => p.user === 'admin')).toEqual(
      ['orders', 'billing', '/'].map((vhost) => ({ user: 'admin', vhost, configure: '.*', write: '.*', read: '.*' })),
    );
  });

  test('the rest of the file is kept as it is, in its order', () => {
    const { definitions } = withDefaultUser(FILE, ADMIN, 'prod');
    expect(definitions.users![0]).toBe(APP_USER);
    expect(definitions.permissions![0]).toEqual(FILE.permissions![0]);
    expect(definitions.queues).toEqual(FILE.queues);
    expect(Object.keys(definitions)).toEqual(['rabbit_version', 'users', 'vhosts', 'permissions', 'queues']);
    expect(FILE.users).toHaveLength(1); // the input is not changed
  });

  test('"/" and a permission the file already has are not added twice', () => {
    const file: BootDefinitions = {
      vhosts: [{ name: '/', description: 'mine' }],
      permissions: [{ user: 'admin', vhost: '/', configure: '', write: '.*', read: '.*' }],
    };
    const { definitions, addedVhost } = withDefaultUser(file, ADMIN, 'prod');
    expect(addedVhost).toBe(false);
    expect(definitions.vhosts).toEqual([{ name: '/', description: 'mine' }]);
    expect(definitions.permissions).toEqual(file.permissions);
  });

  test('a file with no lists at all gets the user, "/" and the permission', () => {
    const { definitions } = withDefaultUser({}, ADMIN, 'prod');
    expect(definitions.users!.map((u) => u.name)).toEqual(['admin']);
    expect(definitions.vhosts).toEqual([{ name: '/' }]);
    expect(definitions.permissions).toEqual([{ user: 'admin', vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
  });

  test('already in the file: the file’s entry is kept untouched, with a warning; "/" still added', () => {
    const own = { name: 'admin', password_hash: 'their-own-hash', tags: 'administrator,management' };
    const file: BootDefinitions = { ...FILE, users: [APP_USER, own] };
    const { definitions, addedUser, addedVhost } = withDefaultUser(file, ADMIN, 'prod');
    expect({ addedUser, addedVhost }).toEqual({ addedUser: false, addedVhost: true });
    expect(definitions.users).toEqual([APP_USER, own]);
    expect(definitions.permissions).toEqual(FILE.permissions);
    expect(defaultUserFindings(file, 'defs.json', 'admin', 'RABBITMQ_DEFAULT_PASS').map(formatFinding)).toEqual([
      'rabbitmq.definitions: defs.json defines the default user "admin" itself: its entry (password hash, tags, permissions) is kept as written and RABBITMQ_DEFAULT_PASS from .env is not its password; rmq-compose status logs in to the management API with RABBITMQ_DEFAULT_PASS, so give it the same password, or remove the user from the file and gen adds it',
    ]);
    expect(defaultUserFindings(FILE, 'defs.json', 'admin', 'RABBITMQ_DEFAULT_PASS')).toEqual([]);
  });
});

describe('definitions.json bytes', () => {
  test('two-space JSON and a final newline; the same input gives the same bytes', () => {
    const a = definitionsJson(withDefaultUser(FILE, ADMIN, 'prod').definitions);
    expect(a).toBe(definitionsJson(withDefaultUser(FILE, ADMIN, 'prod').definitions));
    expect(a.endsWith('}\n')).toBe(true);
    expect(a).toContain('\n  "users": [\n');
  });

  test('characters a YAML block cannot carry are escaped, and mean the same', () => {
    const text = definitionsJson({ queues: [{ name: 'a\u2028b\u0085c', vhost: '/' }] });
    expect(text).toContain('a\\u2028b\\u0085c');
    expect(text).not.toMatch(/[\u0085\u2028]/);
    expect((JSON.parse(text) as { queues: Array<{ name: string }> }).queues[0]!.name).toBe('a\u2028b\u0085c');
  });
});
