import { rm } from 'node:fs/promises';
import { fakeManifest } from '../../../support/memory-ops.js';
import { MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { createActionTable } from '../../../../ops/pipeline/action-table.js';
import { InvalidArgumentError, RefusedError } from '../../../../ops/errors.js';
import { runAction } from '../../../../ops/run-action.js';
import { clusterDir, fakeTools, ScriptedRunner } from '../fake-runner.js';

const actor = { via: 'cli' as const, id: 'tester' };

/** Each of these must be refused while parsing: no process may start. */
const hostile: Array<[string, string[]]> = [
  ['join', ['rabbit1;rm -rf /']],
  ['join', ['$(id)']],
  ['join', ['rabbit9']],
  ['join', ['rabbit2', '--to', '`id`']],
  ['join', ['rabbit2', '--ram', '--disc']],
  ['join', ['rabbit2', '--rm']],
  ['join', ['rabbit1', '--to', 'rabbit1']],
  ['restart', ['rabbit1 && reboot']],
  ['drain', []],
  ['revive', ['rabbit1', 'extra']],
  ['forget', ['../../etc/passwd']],
  ['logs', ['rabbit1', '--tail', '1e3']],
  ['logs', ['rabbit1', '--tail', '0']],
  ['logs', ['rabbit1', '--tail', '10001']],
  ['logs', ['rabbit1', '--tail', '-5']],
  ['logs', ['rabbit1', '--tail=$(id)']],
  ['sync', ['orders;id']],
  ['sync', ['-rf']],
  ['sync', ['orders\nx']],
  ['mirror-policy', ['set', 'ha;id', '^']],
  ['mirror-policy', ['set', 'ha-x', '(']],
  ['mirror-policy', ['set', 'ha-x', '^', 'exactly', '2;id']],
  ['mirror-policy', ['set', 'ha-x', '^', 'exactly', '4']],
  ['mirror-policy', ['set', 'ha-x', '^', 'some']],
  ['mirror-policy', ['set', 'ha-x', '^', '--sync', 'now']],
  ['mirror-policy', ['clear', '$(id)']],
  ['mirror-policy', ['drop']],
  // would reach rabbitmqctl as options (-p is the vhost)
  ['mirror-policy', ['set', 'ha-x', '-p']],
  ['mirror-policy', ['set', 'ha-x', '--']],
  ['mirror-policy', ['set', 'ha-x', '--vhost=/x']],
  ['unlock', ['now']],
  ['status', ['--all']],
  ['deploy', ['now']],
  ['partitions', ['x']],
  ['rotate-certs', ['--node', 'rabbit1;id']],
  ['rotate-certs', ['--node', 'rabbit9']],
  ['rotate-certs', ['--new-ca', '--retire-previous-ca']],
  ['rotate-certs', ['--new-ca', '--node', 'rabbit1']],
  ['rotate-certs', ['--roll-only', '--new-ca']],
  ['rotate-certs', ['rabbit1']],
  ['rotate-certs', ['--dry-run', '--plan', '0123456789ab']],
  ['rotate-certs', ['--plan', '0123456789AB']],
  ['rotate-certs', ['--plan', '$(id)']],
  ['upgrade', ['--to', 'rabbitmq:4.0.9', '--dry-run=yes']],
  ['upgrade', ['--to', 'rabbitmq:4.0.9', '--plan']],
];

describe('arguments are validated before anything runs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await clusterDir(fakeManifest());
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test.each(hostile)('%s %j → InvalidArgumentError, zero processes started', async (name, argv) => {
    const runner = new ScriptedRunner();
    const audit = new MemoryAudit();
    await expect(runAction(name, argv, { dir, actor, audit, lock: new MemoryLock(), tools: fakeTools(runner) })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(runner.calls).toEqual([]);
    expect(audit.entries.map((e) => e.result)).toEqual(['rejected']);
  });

  test('rotate-certs on a cluster without tls: refused with the reason, no process started', async () => {
    const runner = new ScriptedRunner();
    const run = runAction('rotate-certs', [], { dir, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner) });
    await expect(run).rejects.toBeInstanceOf(RefusedError);
    await expect(run).rejects.toThrow(/has no TLS \(no tls: in its spec\): there is no certificate to rotate/);
    expect(runner.calls).toEqual([]);
  });

  test('4.x: mirror-policy and sync are refused with the reason, before anything runs', async () => {
    const m = fakeManifest();
    m.rabbitmq = { ...m.rabbitmq, version: '4.1', major: 4, minor: 1, mirroring: false };
    const dir4 = await clusterDir(m);
    try {
      for (const [name, argv] of [
        ['mirror-policy', ['list']],
        ['mirror-policy', ['set', 'ha-all', '^', 'all']],
        ['sync', ['orders']],
      ] as const) {
        const runner = new ScriptedRunner();
        const run = runAction(name, argv, { dir: dir4, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner) });
        await expect(run).rejects.toBeInstanceOf(RefusedError);
        await expect(run).rejects.toThrow(/RabbitMQ 4\.0/);
        expect(runner.calls).toEqual([]);
      }
      await expect(
        runAction('mirror-policy', ['list'], { dir: dir4, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(new ScriptedRunner()) }),
      ).rejects.toThrow(/x-queue-type: quorum/);
    } finally {
      await rm(dir4, { recursive: true, force: true });
    }
  });

  test('valid arguments parse into typed values', () => {
    const table = createActionTable();
    const m = fakeManifest();
    expect(table.get('join')!.parse(['rabbit@rabbit2', '--disc', '--to', 'rabbit1'], m)).toMatchObject({
      node: { name: 'rabbit2' },
      to: { name: 'rabbit1' },
      ram: false,
    });
    expect(table.get('join')!.parse(['rabbit3'], m)).toMatchObject({ ram: true, to: { name: 'rabbit1' } });
    expect(table.get('logs')!.parse(['rabbit1', '--tail=250'], m)).toMatchObject({ tail: 250 });
    expect(table.get('rotate-certs')!.parse(['--roll-only', '--node', 'rabbit2'], m)).toEqual({
      only: 'rabbit2',
      ca: undefined,
      rollOnly: true,
      mode: { kind: 'apply' },
      argv: ['--roll-only', '--node', 'rabbit2'],
    });
    expect(table.get('rotate-certs')!.parse(['--new-ca', '--dry-run'], m)).toEqual({
      only: undefined,
      ca: 'new',
      rollOnly: false,
      mode: { kind: 'dry-run' },
      argv: ['--new-ca'],
    });
    expect(table.get('upgrade')!.parse(['--plan', '0123456789ab', '--to', 'rabbitmq:4.0.9'], m)).toEqual({
      image: 'rabbitmq:4.0.9',
      version: undefined,
      mode: { kind: 'apply-saved', id: '0123456789ab' },
      argv: ['--to', 'rabbitmq:4.0.9'],
    });
    expect(table.get('mirror-policy')!.parse(['set', 'ha-two', '^orders\\.', 'exactly', '2', '--sync', 'automatic'], m)).toEqual({
      op: 'set',
      name: 'ha-two',
      pattern: '^orders\\.',
      definition: { 'ha-mode': 'exactly', 'ha-params': 2, 'ha-sync-mode': 'automatic' },
    });
  });
});

describe('action table', () => {
  test("rejects duplicate names; every catalog entry has its implementation, with the catalog's own kind", async () => {
    const { ActionTable, ALL_ACTIONS } = await import('../../../../ops/pipeline/action-table.js');
    const { CATALOG_ENTRIES } = await import('../../../../ops/catalog.js');
    const { helpMessage } = await import('../../../../bot/render/help.js');
    const { escapeValue } = await import('../../../../bot/render/slack-text.js');
    expect(() => new ActionTable([...ALL_ACTIONS, ALL_ACTIONS[0]!])).toThrow(/duplicate action name "status"/);
    expect(
      createActionTable()
        .list()
        .map((a) => a.name),
    ).toEqual(CATALOG_ENTRIES.map((e) => e.name));
    for (const e of CATALOG_ENTRIES) {
      const a = createActionTable().get(e.name)!;
      expect([a.usage, a.summary, a.mutating, a.dangerous, a.withoutLock]).toEqual([e.usage, e.summary, e.mutating, e.dangerous, e.withoutLock]);
    }
    // `/rmq help` is generated from the catalog (the CLI's --help too, by commander)
    const help = JSON.stringify(helpMessage('/rmq', CATALOG_ENTRIES, ['seed']).blocks);
    for (const e of CATALOG_ENTRIES) expect(help).toContain(JSON.stringify(escapeValue(e.usage)).slice(1, -1));
  });
});
