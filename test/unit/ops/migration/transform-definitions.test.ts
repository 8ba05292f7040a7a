import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../../lib/package-root.js';
import { renderMigrationReport, type QueueOutcome } from '../../../../ops/migration/migration-report.js';
import { transformForQuorum } from '../../../../ops/migration/transform-definitions.js';
import { Definitions } from '../../../../contract/definitions.js';

/**
 * A 3.10.8 cluster's definitions, shaped as `rabbitmqctl export_definitions` writes them
 * (rabbit_definitions.erl v3.10.8 all_definitions: keys sorted, users' tags a list, vhost limits
 * [] when none, no product_name/product_version — those are in the management API's export —
 * and no internal_* global parameter, which the export leaves out). Pretty-printed for reading.
 */
const BLUE = Definitions.parse(JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'rabbitmq', 'definitions-3.10-ha.json'), 'utf8')));
const BLUE_TEXT = JSON.stringify(BLUE);

const run = (options: Partial<Parameters<typeof transformForQuorum>[1]> = {}, blue = BLUE) => transformForQuorum(blue, { greenVersion: '4.2.1', ...options });
const queue = (defs: Definitions, vhost: string, name: string) => defs.queues!.find((q) => q.vhost === vhost && q.name === name)!;
const outcome = (queues: QueueOutcome[], vhost: string, name: string) => queues.find((q) => q.vhost === vhost && q.name === name)!;
const policy = (defs: Definitions, vhost: string, name: string) => defs.policies!.find((p) => p.vhost === vhost && p.name === name);

describe('queues: mirrored durable classic → quorum', () => {
  const { definitions, report } = run();

  test('a queue under ha-all becomes quorum; its classic-only arguments go', () => {
    expect(queue(definitions, '/', 'orders.in')).toEqual({
      arguments: { 'x-queue-type': 'quorum' },
      auto_delete: false,
      durable: true,
      name: 'orders.in',
      type: 'quorum',
      vhost: '/',
    });
    const o = outcome(report.queues, '/', 'orders.in');
    expect(o).toMatchObject({ action: { kind: 'to-quorum', why: 'mirrored' }, bluePolicy: { name: 'ha-all', haMode: 'all' }, greenType: 'quorum' });
    expect(o.argumentChanges.map((c) => [c.key, c.action, c.semantic])).toEqual([
      ['x-max-priority', 'dropped', true],
      ['x-queue-mode', 'dropped', false],
    ]);
    // 4.0–4.2: two priority levels
    expect(o.argumentChanges[0]!.why).toMatch(/only two priorities: 0–4 normal, 5 and above high/);
  });

  test('x-max-priority is described for the green version: strict 0–31 on 4.3', () => {
    const o = outcome(run({ greenVersion: '4.3.6' }).report.queues, '/', 'orders.in');
    expect(o.argumentChanges[0]!.why).toMatch(/strict priorities 0–31; a message without a priority counts as 4/);
  });

  test('x-queue-master-locator becomes x-queue-leader-locator; DLX and TTL arguments stay', () => {
    expect(queue(definitions, 'orders', 'orders.created').arguments).toEqual({
      'x-dead-letter-exchange': 'orders.dlx',
      'x-message-ttl': 3600000,
      'x-queue-leader-locator': 'client-local',
      'x-queue-type': 'quorum',
    });
  });

  test('x-overflow reject-publish-dlx becomes reject-publish, reported as a change of behaviour', () => {
    expect(queue(definitions, 'orders', 'orders.dlq').arguments).toEqual({
      'x-dead-letter-exchange': 'orders.parking',
      'x-max-length': 10000,
      'x-overflow': 'reject-publish',
      'x-queue-type': 'quorum',
    });
    expect(outcome(report.queues, 'orders', 'orders.dlq').argumentChanges).toEqual([
      expect.objectContaining({ key: 'x-overflow', action: 'changed', from: 'reject-publish-dlx', to: 'reject-publish', semantic: true }),
    ]);
  });

  test('only the winning policy counts: ha-orders (10) loses orders.audit to no-ha-audit (20), so it was not mirrored', () => {
    expect(outcome(report.queues, 'orders', 'orders.audit')).toMatchObject({
      action: { kind: 'to-quorum', why: 'unmirrored' },
      bluePolicy: { name: 'no-ha-audit' },
    });
    expect(outcome(report.queues, 'orders', 'orders.audit').bluePolicy).not.toHaveProperty('haMode');
  });

  test('the pattern is a regular expression: ^(jobs|tasks)$ mirrors jobs, not jobs.retry', () => {
    expect(outcome(report.queues, 'legacy', 'jobs')).toMatchObject({
      action: { why: 'mirrored' },
      bluePolicy: { name: 'ha-legacy', haMode: 'nodes', haParams: ['rabbit@rabbit1', 'rabbit@rabbit2'] },
    });
    expect(outcome(report.queues, 'legacy', 'jobs.retry')).toMatchObject({ action: { why: 'unmirrored' }, bluePolicy: undefined });
  });

  test('policies stay in their vhost: orders.in in legacy is matched neither by / ha-all nor by orders ha-orders', () => {
    expect(outcome(report.queues, '/', 'orders.in').bluePolicy?.name).toBe('ha-all');
    expect(outcome(report.queues, 'legacy', 'orders.in')).toMatchObject({ action: { why: 'unmirrored' }, bluePolicy: undefined });
  });

  test('a converted queue without a delivery limit is told about 4.x default of 20; one with its own limit is not', () => {
    expect(outcome(report.queues, 'orders', 'billing').notes).toContainEqual(expect.stringMatching(/^delivery limit 20 \(4\.0\+ default\)/));
    expect(outcome(report.queues, '/', 'payments').notes.join()).not.toMatch(/delivery limit/);
  });
});

describe('queues that cannot be or need not be quorum', () => {
  const { definitions, report } = run();

  test('non-durable and auto-delete queues stay classic, with the type written out, and say they lose mirroring', () => {
    expect(queue(definitions, '/', 'rpc.replies').arguments).toEqual({ 'x-queue-type': 'classic' });
    expect(queue(definitions, '/', 'notifications.tmp').arguments).toEqual({ 'x-expires': 600000, 'x-queue-type': 'classic' });
    expect(outcome(report.queues, '/', 'rpc.replies')).toMatchObject({
      action: { kind: 'classic', why: 'non-durable' },
      notes: ['green has no mirroring: one copy, on the node that declares it', 'policy in effect: ha-all on blue, none on green'],
    });
    expect(outcome(report.queues, '/', 'notifications.tmp').action).toEqual({ kind: 'classic', why: 'auto-delete' });
  });

  test('an exclusive queue (not in exports, but possible from other sources) stays classic', () => {
    const blue = { ...BLUE, queues: [{ name: 'session', vhost: '/', durable: true, auto_delete: false, exclusive: true, arguments: {} }] };
    const { definitions: d, report: r } = run({}, blue);
    expect(r.queues[0]!.action).toEqual({ kind: 'classic', why: 'exclusive' });
    expect(d.queues![0]).toMatchObject({ exclusive: true, arguments: { 'x-queue-type': 'classic' } });
  });

  test('quorum queues and streams pass unchanged; amq.* queues too, reported as skipped by the import', () => {
    for (const [name, kind] of [
      ['payments', 'unchanged'],
      ['events.stream', 'unchanged'],
      ['amq.gen-JzTY20BRgKO-HjmUJj0wLg', 'not-imported'],
    ] as const) {
      expect(queue(definitions, '/', name)).toEqual(queue(BLUE, '/', name));
      expect(outcome(report.queues, '/', name).action.kind).toBe(kind);
    }
  });

  test('unmirrored: "classic" keeps unmirrored durable queues classic and still converts the mirrored ones', () => {
    const { definitions: d, report: r } = run({ unmirrored: 'classic' });
    expect(queue(d, 'orders', 'billing').arguments).toEqual({ 'x-queue-type': 'classic' });
    expect(outcome(r.queues, 'orders', 'orders.audit').action).toEqual({ kind: 'classic', why: 'unmirrored' });
    expect(outcome(r.queues, 'orders', 'orders.created').action).toEqual({ kind: 'to-quorum', why: 'mirrored' });
    expect(r.unmirrored).toBe('classic');
  });
});

describe('policies', () => {
  const { definitions, report } = run();
  const out = (vhost: string, name: string) => report.policies.find((p) => p.vhost === vhost && p.name === name)!;

  test('a policy with only ha-* keys is removed', () => {
    expect(policy(definitions, '/', 'ha-all')).toBeUndefined();
    expect(out('/', 'ha-all')).toMatchObject({ result: 'removed', kept: [] });
    expect(policy(definitions, 'legacy', 'ha-legacy')).toBeUndefined();
  });

  test('ha-* keys + queue-mode only: removed too', () => {
    expect(policy(definitions, 'orders', 'lazy-archive')).toBeUndefined();
    expect(out('orders', 'lazy-archive').changes.map((c) => c.key)).toEqual(['ha-mode', 'queue-mode']);
  });

  test('ha-* keys + message-ttl: kept minus the ha keys, master locator mapped, apply-to and priority kept', () => {
    expect(policy(definitions, 'orders', 'ha-orders')).toEqual({
      'apply-to': 'queues',
      definition: { 'message-ttl': 86400000, 'queue-leader-locator': 'balanced' },
      name: 'ha-orders',
      pattern: '^orders\\.',
      priority: 10,
      vhost: 'orders',
    });
    expect(out('orders', 'ha-orders')).toMatchObject({ result: 'changed', kept: ['message-ttl', 'queue-leader-locator'] });
  });

  test('overflow reject-publish-dlx is rewritten where the policy governs only quorum queues', () => {
    expect(policy(definitions, 'legacy', 'dlx-overflow')?.definition).toEqual({
      'dead-letter-exchange': 'dlx',
      'max-length': 1000,
      overflow: 'reject-publish',
    });
  });

  test('overflow reject-publish-dlx governing classic and quorum queues: kept, with a warning', () => {
    const blue = {
      ...BLUE,
      policies: [{ vhost: '/', name: 'cap', pattern: '^', 'apply-to': 'queues', priority: 0, definition: { overflow: 'reject-publish-dlx', 'max-length': 5 } }],
      queues: [
        { name: 'durable', vhost: '/', durable: true, auto_delete: false, arguments: {} },
        { name: 'transient', vhost: '/', durable: false, auto_delete: false, arguments: {} },
      ],
    };
    const r = run({}, blue);
    expect(r.definitions.policies![0]!.definition).toEqual({ overflow: 'reject-publish-dlx', 'max-length': 5 });
    expect(r.report.warnings).toContainEqual(
      expect.stringMatching(/policy cap \(vhost \/\) sets overflow reject-publish-dlx for classic queues \(transient\) and quorum queues \(durable\)/),
    );
  });

  test('policies without ha keys (federation on exchanges, no-ha-audit) pass unchanged', () => {
    expect(policy(definitions, '/', 'federate-me')).toEqual(BLUE.policies!.find((p) => p.name === 'federate-me'));
    expect(out('orders', 'no-ha-audit').result).toBe('unchanged');
  });

  test('the policy in effect on green is reported where it changes: archive.2023 loses lazy-archive', () => {
    expect(outcome(report.queues, 'orders', 'archive.2023')).toMatchObject({
      bluePolicy: { name: 'lazy-archive' },
      greenPolicy: undefined,
      notes: expect.arrayContaining(['policy in effect: lazy-archive on blue, none on green']),
    });
    expect(outcome(report.queues, 'orders', 'orders.created')).toMatchObject({ greenPolicy: 'ha-orders' });
  });

  test('a quorum queue on blue skipped a policy holding ha-* keys; green may now apply its other keys', () => {
    const blue = {
      ...BLUE,
      policies: [{ vhost: '/', name: 'ha-capped', pattern: '^', 'apply-to': 'all', priority: 0, definition: { 'ha-mode': 'all', 'max-length': 10 } }],
      queues: [{ name: 'qq', vhost: '/', durable: true, auto_delete: false, type: 'quorum', arguments: { 'x-queue-type': 'quorum' } }],
    };
    expect(run({}, blue).report.queues[0]!.notes).toContain('policy in effect: none on blue, ha-capped on green');
  });

  test('keys quorum queues ignore in the policy now in effect are named; a policy holding a stream key no longer reaches them', () => {
    const blue = {
      ...BLUE,
      policies: [
        { vhost: '/', name: 'ha-v2', pattern: '^a$', 'apply-to': 'queues', priority: 0, definition: { 'ha-mode': 'all', 'queue-version': 2, 'max-length': 9 } },
        { vhost: '/', name: 'ha-age', pattern: '^b$', 'apply-to': 'all', priority: 0, definition: { 'ha-mode': 'all', 'max-age': '1D' } },
      ],
      queues: ['a', 'b'].map((name) => ({ name, vhost: '/', durable: true, auto_delete: false, arguments: {} })),
    };
    const [a, b] = run({}, blue).report.queues;
    expect(a!.notes).toContain('quorum queues ignore queue-version of policy ha-v2');
    // on 3.10 a classic queue skipped policies holding max-age too, so b was never mirrored
    expect(b).toMatchObject({ action: { why: 'unmirrored' }, bluePolicy: undefined, greenPolicy: undefined });
  });

  test('the highest priority wins on green too; equal priorities are reported as RabbitMQ picks any', () => {
    const blue = {
      ...BLUE,
      policies: [
        { vhost: '/', name: 'b-ha', pattern: '^q', 'apply-to': 'queues', priority: 3, definition: { 'ha-mode': 'all' } },
        { vhost: '/', name: 'a-ttl', pattern: 'q$', 'apply-to': 'queues', priority: 3, definition: { 'message-ttl': 1 } },
      ],
      queues: [{ name: 'q', vhost: '/', durable: true, auto_delete: false, arguments: {} }],
    };
    const r = run({}, blue).report;
    expect(r.warnings).toContainEqual('q (vhost /): policies a-ttl, b-ha share priority 3; RabbitMQ applies any one of them, this report took a-ttl');
  });
});

describe('everything else', () => {
  const { definitions, report } = run();

  test('users (hashes, algorithm, tags, limits), vhosts, permissions, exchanges, bindings and parameters are unchanged', () => {
    for (const key of ['users', 'vhosts', 'permissions', 'topic_permissions', 'exchanges', 'bindings', 'parameters'] as const)
      expect(definitions[key]).toEqual(BLUE[key]);
  });

  test('cluster_name and internal_* global parameters are dropped; other global parameters stay', () => {
    expect(definitions.global_parameters).toEqual([]);
    const blue = {
      ...BLUE,
      global_parameters: [
        ...BLUE.global_parameters!,
        { name: 'internal_cluster_id', value: 'rabbitmq-cluster-id-abc' },
        { name: 'mqtt_port_to_vhost_mapping', value: { '1883': '/' } },
      ],
    };
    const r = run({}, blue);
    expect(r.definitions.global_parameters).toEqual([{ name: 'mqtt_port_to_vhost_mapping', value: { '1883': '/' } }]);
    expect(r.report.removedGlobalParameters).toEqual(['cluster_name', 'internal_cluster_id']);
  });

  test("rabbit_version, rabbitmq_version (and the management export's product_name/product_version) are dropped", () => {
    expect(definitions).not.toHaveProperty('rabbit_version');
    expect(definitions).not.toHaveProperty('rabbitmq_version');
    expect(report.removedFields).toEqual(['rabbit_version', 'rabbitmq_version']);
    const r = run({}, { ...BLUE, product_name: 'RabbitMQ', product_version: '3.10.8' });
    expect(r.definitions).not.toHaveProperty('product_name');
    expect(r.report.removedFields).toEqual(['rabbit_version', 'rabbitmq_version', 'product_name', 'product_version']);
  });

  test('federation and shovel parameters are reported with the plugin green needs; the shovel also warns', () => {
    expect(report.parameters).toEqual([
      { vhost: '/', component: 'federation-upstream', name: 'dc2', plugin: 'rabbitmq_federation' },
      { vhost: 'legacy', component: 'shovel', name: 'legacy-to-archive', plugin: 'rabbitmq_shovel' },
    ]);
    expect(report.warnings.join('\n')).toMatch(/shovel legacy-to-archive \(vhost legacy\) starts on green as soon as it is imported/);
  });

  test('the input is not modified', () => {
    expect(JSON.stringify(BLUE)).toBe(BLUE_TEXT);
  });

  test('idempotent: transforming the result again gives the same definitions, and nothing more to convert', () => {
    for (const unmirrored of ['quorum', 'classic'] as const) {
      const once = run({ unmirrored });
      const twice = run({ unmirrored }, once.definitions);
      expect(twice.definitions).toEqual(once.definitions);
      expect(twice.report.queues.filter((q) => q.action.kind === 'to-quorum')).toEqual([]);
      expect(twice.report.policies.every((p) => p.result === 'unchanged')).toBe(true);
    }
  });

  test('green must be 4.0 or later', () => {
    expect(() => run({ greenVersion: '3.13' })).toThrow(/green must run RabbitMQ 4.0 or later/);
  });

  test('a malformed entry is named by its path', () => {
    expect(() => run({}, { ...BLUE, queues: [{ vhost: '/' }] })).toThrow(/^the blue definitions: queues\[0\]\.name: /);
  });

  test("blue's version unknown: a warning, and the 3.12/3.13 rules", () => {
    const { rabbit_version: _a, rabbitmq_version: _b, ...unversioned } = BLUE;
    expect(run({}, unversioned).report.warnings[0]).toMatch(/blue's version is unknown/);
    expect(run({ blueVersion: '3.10.8' }, unversioned).report.blueVersion).toBe('3.10.8');
  });
});

describe('rendering the report', () => {
  const lines = renderMigrationReport(run().report);

  test('every kind of entry counted, with why any stays on blue', () => {
    const kinds = run().report.kinds;
    expect(kinds.map((k) => k.kind)).toEqual([
      'vhosts',
      'users',
      'permissions',
      'topic_permissions',
      'exchanges',
      'queues',
      'bindings',
      'policies',
      'operator_policies',
      'parameters',
      'global_parameters',
    ]);
    expect(lines[1]).toMatch(
      /^moved per kind \(blue → green\): vhosts 3, users 4, permissions 5, topic permissions 1, exchanges 6, queues 15 → 14 \(named amq\.\*: the import skips them\), bindings 6, policies 7 → \d \(only ha-\* keys: removed\), parameters 2, global parameters 1 → 0 \(blue's identity: green keeps its own\)$/,
    );
  });

  test('one line per queue and policy, as a person reads them', () => {
    expect(lines[0]).toBe(
      'definitions for green (RabbitMQ 4.2.1) from blue (3.10.8): 10 queue(s) to quorum, 2 classic, 2 unchanged, 1 skipped by the import; unmirrored durable classic queues → quorum',
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        'orders.in (vhost /): classic mirrored by ha-all → quorum',
        '  x-max-priority 10 dropped: quorum queues on 4.0–4.2 have only two priorities: 0–4 normal, 5 and above high, delivered 2:1, not strictly',
        'rpc.replies (vhost /): classic, non-durable, mirrored by ha-all → stays classic: a quorum queue cannot be that',
        'orders.audit (vhost orders): classic, not mirrored → quorum (4.x recommends quorum queues for durable data)',
        'orders.created (vhost orders): classic mirrored by ha-orders → quorum',
        '  x-queue-master-locator client-local → x-queue-leader-locator client-local: quorum queues take leader locators',
        'amq.gen-JzTY20BRgKO-HjmUJj0wLg (vhost /): named amq.*: the import skips it',
        'payments (vhost /): already quorum, unchanged',
        'policy ha-all (vhost /): only ha-* keys, removed',
        'policy lazy-archive (vhost orders): only keys green drops (ha-mode, queue-mode), removed',
        'policy ha-orders (vhost orders): ha-mode dropped, ha-params dropped, ha-promote-on-shutdown dropped, ha-sync-mode dropped, queue-master-locator min-masters → queue-leader-locator balanced; keeps message-ttl, queue-leader-locator',
        'policy dlx-overflow (vhost legacy): ha-mode dropped, overflow reject-publish-dlx → reject-publish; keeps dead-letter-exchange, max-length, overflow',
        'global parameter cluster_name: removed (green keeps its own)',
        'rabbit_version, rabbitmq_version: removed (they describe blue)',
        'shovel parameter legacy-to-archive (vhost legacy): kept; green needs rabbitmq_shovel enabled before the import, or the import fails',
      ]),
    );
  });

  test('warns about clients redeclaring converted queues as classic', () => {
    expect(lines).toContainEqual(expect.stringMatching(/^warning: clients that declare a converted queue again .*relaxed_checks_on_redeclaration = true/));
  });

  test('never shows a parameter value (they may hold credentials) or a password hash', () => {
    const text = lines.join('\n');
    for (const secret of ['sh0vel-pass', 'fed-pass', 'mh8Dwhr6GHBlqaXt9hzG9vQSerneWb7']) expect(text).not.toContain(secret);
  });
});
