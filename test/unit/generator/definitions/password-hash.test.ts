import { createHash, createHmac } from 'node:crypto';
import { defaultUserHash, deterministicSalt, rabbitSha256Hash, SHA256_HASHING } from '../../../../generator/definitions/password-hash.js';

/** The formula, written out again here with node:crypto, independently of the code under test. */
function expected(password: string, salt: Buffer): string {
  const digest = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
    .digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

describe('rabbit_password_hashing_sha256', () => {
  test('a known vector: base64(salt ++ sha256(salt ++ password))', () => {
    const salt = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    expect(rabbitSha256Hash('s3cret-Pass', salt)).toBe(expected('s3cret-Pass', salt));
    // 4 + 32 bytes, 48 base64 characters, the salt first
    expect(Buffer.from(rabbitSha256Hash('s3cret-Pass', salt), 'base64').subarray(0, 4)).toEqual(salt);
    expect(rabbitSha256Hash('s3cret-Pass', salt)).toHaveLength(48);
  });

  test('RabbitMQ’s documented example: the guest user of rabbitmq.com/docs/definitions (#import-on-boot-nuances)', () => {
    const documented = '9/1i+jKFRpbTRV1PtRnzFFYibT3cEpP92JeZ8YKGtflf4e/u';
    const salt = Buffer.from(documented, 'base64').subarray(0, 4);
    expect(rabbitSha256Hash('guest', salt)).toBe(documented);
  });

  test('the password’s UTF-8 bytes, as a client sends them', () => {
    const salt = Buffer.from('01020304', 'hex');
    expect(rabbitSha256Hash('pässwörd-€', salt)).toBe(expected('pässwörd-€', salt));
  });

  test('a salt of another length is a bug, not a hash', () => {
    expect(() => rabbitSha256Hash('x', Buffer.alloc(8))).toThrow(/4 bytes/);
  });

  test('the scheme name RabbitMQ reads', () => {
    expect(SHA256_HASHING).toBe('rabbit_password_hashing_sha256');
  });
});

describe('the salt gen uses: the same on every run, different per cluster and user', () => {
  test('first 4 bytes of HMAC-SHA256(password, "<cluster>\\0<user>")', () => {
    const hmac = createHmac('sha256', 'pw').update('prod\0admin').digest().subarray(0, 4);
    expect(deterministicSalt('pw', 'prod', 'admin')).toEqual(hmac);
    expect(defaultUserHash('pw', 'prod', 'admin')).toBe(expected('pw', hmac));
  });

  test('stable, and not shared by two clusters or two users with one password', () => {
    expect(defaultUserHash('pw', 'prod', 'admin')).toBe(defaultUserHash('pw', 'prod', 'admin'));
    expect(defaultUserHash('pw', 'prod', 'admin')).not.toBe(defaultUserHash('pw', 'staging', 'admin'));
    expect(defaultUserHash('pw', 'prod', 'admin')).not.toBe(defaultUserHash('pw', 'prod', 'ops'));
  });
});
