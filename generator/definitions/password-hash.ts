import { createHmac } from 'node:crypto';
import { rabbitSha256Hash } from '../../contract/rabbitmq-password-hash.js';

export { rabbitSha256Hash, SHA256_HASHING } from '../../contract/rabbitmq-password-hash.js';

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
