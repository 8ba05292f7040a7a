import { rm } from 'node:fs/promises';
import type { ComposeClient } from '../../../../ops/compose/compose-client.js';
import { RabbitCtl } from '../../../../ops/rabbit/rabbitmqctl.js';
import { runAction } from '../../../../ops/run-action.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir, clusterStatusJson, COMPOSE_V2, ENGINE_UP, fakeTools, PS, psJson, ScriptedRunner } from '../fake-runner.js';

/**
 * Issue 19: rabbitmqctl (Elixir's OptionParser) reads a word that starts with "-" as an option
 * wherever it stands, and after a bare `-p` such a word is not taken as the vhost. So every value
 * that comes from a spec, a manifest, a terminal or Slack goes after `--`, and the vhost is glued
 * to its option (`--vhost=<v>`).
 */
const EVIL_VHOST = '--priority=5';
const EVIL = '--vhost=other';
const R = (n: number) => `rabbit@rabbit${n}`;

/** Everything rabbitmqctl would parse as options: the words before `--` (all of them without one). */
const optionPart = (argv: readonly string[]) => (argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv);

describe('rabbitmqctl argv: values never become options', () => {
  const node = fakeManifest().nodes[0]!;
  const hostileNode = { ...fakeManifest().nodes[1]!, erlangNode: EVIL };

  function ctlRecording(stdout: string) {
    const calls: string[][] = [];
    const compose = {
      exec: async (_service: string, argv: readonly string[]) => {
        calls.push([...argv]);
        return { command: argv.join(' '), exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false };
      },
    } as unknown as ComposeClient;
    return { ctl: new RabbitCtl(compose), calls };
  }

  test('every builder: the vhost as --vhost=<v>, each positional value after --', async () => {
    const { ctl, calls } = ctlRecording('[]');
    await ctl.setPolicy(node, { name: 'p1', pattern: EVIL, applyTo: 'queues', priority: -5, vhost: EVIL_VHOST, definition: { 'max-length': 1 } });
    await ctl.clearPolicy(node, EVIL, EVIL_VHOST);
    await ctl.listPolicies(node, EVIL_VHOST);
    await ctl.listQueues(node, 4, EVIL_VHOST);
    await ctl.syncQueue(node, EVIL, EVIL_VHOST);
    await ctl.joinCluster(node, hostileNode, true);
    await ctl.forgetClusterNode(node, hostileNode);
    const table = ctlRecording('');
    await table.ctl.listQueues(node, 3, EVIL_VHOST);
    expect([...calls, ...table.calls]).toEqual([
      ['rabbitmqctl', 'set_policy', '--vhost=--priority=5', '--apply-to=queues', '--priority=-5', '--', 'p1', EVIL, '{"max-length":1}'],
      ['rabbitmqctl', 'clear_policy', '--vhost=--priority=5', '--', EVIL],
      ['rabbitmqctl', '-q', 'list_policies', '--vhost=--priority=5', '--formatter', 'json'],
      ['rabbitmqctl', '-q', 'list_queues', '--vhost=--priority=5', '--formatter', 'json', '--', 'name', 'type', 'policy', 'members', 'online', 'leader'],
      ['rabbitmqctl', 'sync_queue', '--vhost=--priority=5', '--', EVIL],
      ['rabbitmqctl', 'join_cluster', '--ram', '--', EVIL],
      ['rabbitmqctl', 'forget_cluster_node', '--', EVIL],
      [
        'rabbitmqctl',
        '-q',
        'list_queues',
        '--vhost=--priority=5',
        '--no-table-headers',
        '--',
        'name',
        'type',
        'policy',
        'slave_pids',
        'synchronised_slave_pids',
      ],
    ]);
    // the invariant itself: no hostile word stands on its own where options are read
    for (const argv of [...calls, ...table.calls]) expect(optionPart(argv).filter((w) => w === EVIL || w === EVIL_VHOST)).toEqual([]);
  });

  test('deploy from a hand-edited manifest: the policy reaches set_policy as values, not options', async () => {
    const manifest = fakeManifest();
    manifest.policies = [{ name: 'evil', pattern: EVIL, applyTo: 'queues', priority: 0, vhost: EVIL_VHOST, definition: { 'max-length': 10 } }];
    const dir = await clusterDir(manifest);
    try {
      const clustered = clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] });
      const up = psJson([
        ['rabbit1', 'running', 'healthy'],
        ['rabbit2', 'running', 'healthy'],
        ['rabbit3', 'running', 'healthy'],
      ]);
      const runner = new ScriptedRunner([
        COMPOSE_V2,
        ENGINE_UP,
        ['up -d --remove-orphans', { exitCode: 0 }],
        [PS, up],
        [/cluster_status/, clustered],
        [/rabbitmqctl /, { exitCode: 0 }],
      ]);
      await runAction('deploy', [], { dir, actor: { via: 'cli', id: 't' }, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner) });
      const cmd = runner.commands.find((c) => c.args.includes('set_policy'))!;
      const argv = cmd.args.slice(cmd.args.indexOf('rabbitmqctl'));
      expect(argv).toEqual(['rabbitmqctl', 'set_policy', '--vhost=--priority=5', '--apply-to=queues', '--priority=0', '--', 'evil', EVIL, '{"max-length":10}']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("migrate: a vhost from blue's definitions never becomes an option", () => {
  test('clear_parameter shovel and list_queues take the vhost as --vhost=<v>, names after --', async () => {
    const { queueDepths } = await import('../../../../ops/migration/message-move.js');
    const { clearShovelsWithCtl: clearShovels } = await import('../../../../ops/migration/clear-shovels.js');
    const calls: string[][] = [];
    const compose = {
      exec: async (_service: string, argv: readonly string[]) => {
        calls.push([...argv]);
        return { command: argv.join(' '), exitCode: 0, stdout: '[]', stderr: '', durationMs: 1, timedOut: false };
      },
    } as unknown as ComposeClient;
    const node = fakeManifest().nodes[0]!;
    await clearShovels(compose, node, [{ vhost: EVIL_VHOST, name: EVIL }]);
    await queueDepths(compose, node, [], 15).catch(() => undefined);
    await queueDepths(compose, node, [{ vhost: EVIL_VHOST, name: 'q1' }], 15).catch(() => undefined);
    expect(calls).toEqual([
      ['rabbitmqctl', 'clear_parameter', '--vhost=--priority=5', '--', 'shovel', EVIL],
      ['rabbitmqctl', '-q', 'list_queues', '--vhost=--priority=5', '--formatter', 'json', '--timeout=15', '--', 'name', 'messages'],
    ]);
    for (const argv of calls) expect(optionPart(argv).filter((w) => w === EVIL || w === EVIL_VHOST)).toEqual([]);
  });
});
