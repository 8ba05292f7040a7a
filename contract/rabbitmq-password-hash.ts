import { createHash, randomBytes } from 'node:crypto';

/**
 * How RabbitMQ stores a password in a definitions file, shared by the generator (the default user
 * in boot definitions) and ops (the migration's own user): both write users that RabbitMQ imports.
 */

/** RabbitMQ's name for the scheme, written beside each hash in a definitions file. */
export const SHA256_HASHING = 'rabbit_password_hashing_sha256';

/**
 * A password hash as RabbitMQ keeps it under rabbit_password_hashing_sha256
 * (deps/rabbit/src/rabbit_password.erl, hash/2 and salted_hash/3): base64(salt ++ sha256(salt ++
 * password)), with a 4-byte salt and the password's UTF-8 bytes (what a client sends).
 */
export function rabbitSha256Hash(password: string, salt: Buffer = randomBytes(4)): string {
  if (salt.length !== 4) throw new RangeError(`a RabbitMQ password salt is 4 bytes, not ${salt.length}`);
  const digest = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return Buffer.concat([salt, digest]).toString('base64');
}
