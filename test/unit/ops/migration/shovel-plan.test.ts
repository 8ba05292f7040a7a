import { amqpUri } from '../../../../ops/migration/amqp-uri.js';
import type { QueueOutcome } from '../../../../ops/migration/migration-report.js';
import { planShovels, renderShovelPlan, shovelDefinitions, shovelNames } from '../../../../ops/migration/shovel-plan.js';

type Q = Pick<QueueOutcome, 'vhost' | 'name' | 'action' | 'greenType'>;
const toQuorum = (vhost: string, name: string): Q => ({ vhost, name, action: { kind: 'to-quorum', why: 'mirrored' }, greenType: 'quorum' });
const PASSWORD = 'p@ss/w:rd%';
const endpoints = (vhost: string) => ({
  vhost,
  srcUri: amqpUri({ user: 'migrator', pass: PASSWORD, host: '10.0.0.11', port: 5672, vhost }),
  destUri: amqpUri({ vhost }),
});

describe('planShovels', () => {
  const plan = planShovels([toQuorum('/', 'orders.in'), toQuorum('a/b', 'jobs')], [endpoints('/'), endpoints('a/b')], { hostVersion: '4.2.1' });

  test('one shovel per queue: blue queue → same-named green queue, confirmed, deleting itself when the queue is drained', () => {
    expect(plan.entries[0]).toEqual({
      vhost: '/',
      name: 'rmq-compose-migrate-orders.in',
      queue: 'orders.in',
      value: {
        'src-protocol': 'amqp091',
        'src-uri': 'amqp://migrator:p%40ss%2Fw%3Ard%25@10.0.0.11:5672/%2F',
        'src-queue': 'orders.in',
        'dest-protocol': 'amqp091',
        'dest-uri': 'amqp:///%2F',
        'dest-queue': 'orders.in',
        'ack-mode': 'on-confirm',
        'src-delete-after': 'queue-length',
        'dest-add-forward-headers': false,
        'src-prefetch-count': 1000,
        'reconnect-delay': 5,
        'src-predeclared': true,
        'dest-predeclared': true,
      },
      secrets: ['p%40ss%2Fw%3Ard%25', PASSWORD],
    });
    expect(plan.entries[1]).toMatchObject({ vhost: 'a/b', value: { 'src-uri': expect.stringMatching(/\/a%2Fb$/), 'dest-uri': 'amqp:///a%2Fb' } });
  });

  test('run on 3.x the shovel gets no predeclared keys (its validator refuses unknown keys)', () => {
    const old = planShovels([toQuorum('/', 'q')], [endpoints('/')], { hostVersion: '3.13.7' });
    expect(old.entries[0]!.value).not.toHaveProperty('src-predeclared');
    expect(old.entries[0]!.value).not.toHaveProperty('dest-predeclared');
  });

  test('skipped: amq.* (not imported), streams (would copy), exclusive queues', () => {
    const p = planShovels(
      [
        { vhost: '/', name: 'amq.gen-x', action: { kind: 'not-imported', why: 'amq-prefix' }, greenType: 'classic' },
        { vhost: '/', name: 'events', action: { kind: 'unchanged', why: 'stream' }, greenType: 'stream' },
        { vhost: '/', name: 'session', action: { kind: 'classic', why: 'exclusive' }, greenType: 'classic' },
        { vhost: '/', name: 'rpc', action: { kind: 'classic', why: 'non-durable' }, greenType: 'classic' },
        { vhost: '/', name: 'payments', action: { kind: 'unchanged', why: 'already-quorum' }, greenType: 'quorum' },
      ],
      [endpoints('/')],
      { hostVersion: '4.0.5' },
    );
    expect(p.entries.map((e) => e.queue)).toEqual(['rpc', 'payments']);
    expect(p.skipped.map((s) => s.queue)).toEqual(['amq.gen-x', 'events', 'session']);
  });

  test('a vhost without URIs is refused, naming it', () => {
    expect(() => planShovels([toQuorum('orders', 'q')], [endpoints('/')], { hostVersion: '4.2' })).toThrow(/no AMQP URIs for vhost "orders"/);
  });

  test('rendered for display: the password never appears, as written or decoded', () => {
    const text = renderShovelPlan(plan).join('\n');
    expect(text).toContain('shovel rmq-compose-migrate-orders.in (vhost /): {"src-protocol":"amqp091","src-uri":"amqp://migrator:****@10.0.0.11:5672/%2F"');
    for (const secret of [PASSWORD, 'p%40ss%2Fw%3Ard%25', 'p@ss', 'w:rd']) expect(text).not.toContain(secret);
  });

  test('a secret that also appears outside the URIs (here: as a queue name) is masked there too', () => {
    const p = planShovels([toQuorum('/', 'hunter2')], [{ vhost: '/', srcUri: 'amqp://u:hunter2@blue/%2F', destUri: 'amqp:///%2F' }], { hostVersion: '4.2' });
    expect(renderShovelPlan(p).join('\n')).not.toContain('hunter2');
  });

  test('as a definitions file of shovel parameters, to import without the passwords on a command line', () => {
    expect(shovelDefinitions(plan)).toEqual({
      parameters: plan.entries.map((e) => ({ vhost: e.vhost, component: 'shovel', name: e.name, value: e.value })),
    });
  });
});

describe('shovelNames', () => {
  test('plain names are kept; others sanitised and suffixed with a hash of the original', () => {
    const names = shovelNames(
      [
        { vhost: '/', name: 'orders.in' },
        { vhost: '/', name: 'a b' },
        { vhost: '/', name: 'a/b' },
        { vhost: '/', name: 'a_b' },
      ],
      'rmq-compose-migrate',
    );
    expect(names[0]).toBe('rmq-compose-migrate-orders.in');
    expect(names[1]).toMatch(/^rmq-compose-migrate-a_b-[0-9a-f]{10}$/);
    expect(names[2]).toMatch(/^rmq-compose-migrate-a_b-[0-9a-f]{10}$/);
    expect(names[3]).toBe('rmq-compose-migrate-a_b');
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  test('deterministic, whatever the order or the other queues', () => {
    const a = shovelNames(
      [
        { vhost: '/', name: 'x y' },
        { vhost: '/', name: 'z' },
      ],
      'p',
    );
    const b = shovelNames(
      [
        { vhost: '/', name: 'z' },
        { vhost: '/', name: 'x y' },
        { vhost: '/', name: 'w' },
      ],
      'p',
    );
    expect(b[1]).toBe(a[0]);
    expect(b[0]).toBe(a[1]);
  });

  test("a clash left over (a queue literally named like another one's hashed name) gets -2, in name order", () => {
    const hashed = shovelNames([{ vhost: '/', name: 'a b' }], 'p')[0]!.slice('p-'.length);
    const names = shovelNames(
      [
        { vhost: '/', name: hashed },
        { vhost: '/', name: 'a b' },
      ],
      'p',
    );
    expect(names[1]).toBe(`p-${hashed}`);
    expect(names[0]).toBe(`p-${hashed}-2`);
  });

  test('the same queue name in two vhosts keeps the same shovel name (parameters are per vhost)', () => {
    expect(
      shovelNames(
        [
          { vhost: '/', name: 'q' },
          { vhost: 'orders', name: 'q' },
        ],
        'p',
      ),
    ).toEqual(['p-q', 'p-q']);
  });

  test('long names are cut to 200 characters and made unique by the hash', () => {
    const long = 'q'.repeat(250);
    const [name] = shovelNames([{ vhost: '/', name: long }], 'p');
    expect(name).toMatch(new RegExp(`^p-q{200}-[0-9a-f]{10}$`));
  });
});
