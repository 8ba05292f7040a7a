import { createHash, createHmac } from 'node:crypto';

/** RabbitMQ's name for the scheme, written beside each hash in a definitions file. */
export const SHA256_HASHING = 'rabbit_password_hashing_sha256';

/**
 * A password hash as RabbitMQ keeps it under rabbit_password_hashing_sha256
 * (deps/rabbit/src/rabbit_password.erl, hash/2 and salted_hash/3): base64(salt ++ sha256(salt ++
 * password)), with a 4-byte salt and the password's UTF-8 bytes (what a client sends).
 */
export function rabbitSha256Hash(password: string, salt: Buffer): string {
  if (salt.length !== 4) throw new RangeError(`a RabbitMQ password salt is 4 bytes, not ${salt.length}`);
  const digest = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

/**
 * RabbitMQ draws its salt at random; gen must write the same bytes on every run (idempotence,
 * `gen --check`), so the salt is the first 4 bytes of HMAC-SHA256 keyed with the password over
 * "<cluster>\0<user>": fixed for one password, user and cluster, different between clusters and
 * users sharing a password. It tells nothing the hash itself does not.
 */
export function deterministicSalt(password: string, clusterName: string, userName: string): Buffer {
  return createHmac('sha256', password).update(`${clusterName}\0${userName}`).digest().subarray(0, 4);
}

/** The hash gen writes for a user of a cluster: same inputs, same bytes. */
export function defaultUserHash(password: string, clusterName: string, userName: string): string {
  return rabbitSha256Hash(password, deterministicSalt(password, clusterName, userName));
}
