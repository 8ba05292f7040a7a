import { amqpUri, encodeUriComponentStrict, maskAmqpUri, uriSecrets } from '../../../../ops/migration/amqp-uri.js';

describe('amqpUri (docs/uri-spec)', () => {
  test('user, password, host, port and vhost', () => {
    expect(amqpUri({ user: 'migrator', pass: 'secret', host: 'rabbit1', port: 5672, vhost: 'orders' })).toBe('amqp://migrator:secret@rabbit1:5672/orders');
  });

  test('the vhost is one path segment: "/" is %2F, "a/b" is a%2Fb', () => {
    expect(amqpUri({ host: 'h', vhost: '/' })).toBe('amqp://h/%2F');
    expect(amqpUri({ host: 'h', vhost: 'a/b' })).toBe('amqp://h/a%2Fb');
    expect(amqpUri({ host: 'h', vhost: 'orders' })).toBe('amqp://h/orders');
  });

  test('a password with @ / : % is percent-encoded, and decodes back to itself', () => {
    const uri = amqpUri({ user: 'mig:rator', pass: 'p@ss/w:rd%', host: '10.0.0.11', port: 5672, vhost: '/' });
    expect(uri).toBe('amqp://mig%3Arator:p%40ss%2Fw%3Ard%25@10.0.0.11:5672/%2F');
    // the shape amqp_uri.erl reads: one "@", user info split at the first ":", no "/" inside the vhost
    const [, userinfo, rest] = /^amqp:\/\/([^@]*)@(.*)$/.exec(uri)!;
    expect(userinfo!.split(':').map(decodeURIComponent)).toEqual(['mig:rator', 'p@ss/w:rd%']);
    expect(rest).toBe('10.0.0.11:5672/%2F');
  });

  test('sub-delims, spaces and non-ASCII are encoded too (as UTF-8 bytes)', () => {
    expect(encodeUriComponentStrict("!$&'()*+,;= é~")).toBe('%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%C3%A9~');
    expect(decodeURIComponent(encodeUriComponentStrict('pä$$ wörd'))).toBe('pä$$ wörd');
  });

  test('user without password; TLS; IPv6 in brackets', () => {
    expect(amqpUri({ user: 'guest', host: 'h', vhost: '/' })).toBe('amqp://guest@h/%2F');
    expect(amqpUri({ user: 'u', pass: 'p', host: 'h', port: 5671, vhost: '/', tls: true })).toBe('amqps://u:p@h:5671/%2F');
    expect(amqpUri({ host: 'fd00::11', port: 5672, vhost: '/' })).toBe('amqp://[fd00::11]:5672/%2F');
  });

  test('no host: a direct connection to the local node, without credentials', () => {
    expect(amqpUri({ vhost: '/' })).toBe('amqp:///%2F');
    expect(() => amqpUri({ user: 'u', pass: 'p', vhost: '/' })).toThrow(/direct AMQP URI/);
  });

  test('refused: empty vhost, bad port, a host with URI delimiters, a password without a user', () => {
    expect(() => amqpUri({ host: 'h', vhost: '' })).toThrow(/needs a vhost/);
    expect(() => amqpUri({ host: 'h', port: 70000, vhost: '/' })).toThrow(/between 1 and 65535/);
    expect(() => amqpUri({ host: 'h/x@y', vhost: '/' })).toThrow(/not a host name/);
    expect(() => amqpUri({ pass: 'p', host: 'h', vhost: '/' })).toThrow(/needs a user/);
  });
});

describe('masking', () => {
  const uri = amqpUri({ user: 'migrator', pass: 'p@ss/w:rd%', host: 'blue', port: 5672, vhost: 'a/b' });

  test('the password becomes ****; user, host and vhost stay readable', () => {
    expect(maskAmqpUri(uri)).toBe('amqp://migrator:****@blue:5672/a%2Fb');
    expect(maskAmqpUri('amqp://blue/%2F')).toBe('amqp://blue/%2F');
    expect(maskAmqpUri('amqp://guest@blue/%2F')).toBe('amqp://guest@blue/%2F');
  });

  test('secrets: the password as written and as decoded', () => {
    expect(uriSecrets(uri)).toEqual(['p%40ss%2Fw%3Ard%25', 'p@ss/w:rd%']);
    expect(uriSecrets('amqp:///%2F')).toEqual([]);
    expect(uriSecrets('amqp://u:plain@h/x')).toEqual(['plain']);
  });
});
