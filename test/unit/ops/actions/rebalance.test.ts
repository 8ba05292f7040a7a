import { rm } from 'node:fs/promises';
import type { ClusterManifest } from '../../../../contract/manifest.js';
import { judgeStatus, leaderImbalance, type ExtraFacts } from '../../../../ops/health/findings.js';
import { RefusedError } from '../../../../ops/errors.js';
import { parseQueues } from '../../../../ops/rabbit/parse-queues.js';
import { runAction } from '../../../../ops/run-action.js';
import type { RebalanceData } from '../../../../ops/actions/rebalance.js';
import { queueSummary, type NodeStatus, type StatusData } from '../../../../ops/status/status-view.js';
import { REBALANCE_TIMEOUT_MS } from '../../../../ops/rabbit/rabbitmqctl.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir, clusterStatusJson, COMPOSE_V2, fakeTools, PS, psJson, ScriptedRunner } from '../fake-runner.js';

/** Quorum leaders per node: `check`'s leader-imbalance finding and the `rebalance` action, on 4.0/4.3-style outputs. */
const R = (n: number) => `rabbit@rabbit${n}`;
const MEMBERS = [R(1), R(2), R(3)];
/** `rabbitmqctl -q list_queues … --formatter json -- name type policy members online leader`, as 4.0.5 and 4.3.6 print it. */
const listQueues = (leaders: number[], classic = 0) =>
  JSON.stringify([
    ...leaders.map((l, i) => ({ name: `q${i}`, type: 'quorum', policy: '', members: MEMBERS, online: MEMBERS, leader: R(l) })),
    ...Array.from({ length: classic }, (_, i) => ({ name: `c${i}`, type: 'classic', policy: '', members: '', online: '', leader: '' })),
  ]).replace(/\},\{/g, '},\n{');
const on = (counts: [number, number, number]) => counts.flatMap((c, i) => Array.from({ length: c }, () => i + 1));

const node = (name: string, o: Partial<NodeStatus> = {}): NodeStatus => ({
  name,
  running: true,
  type: 'disc',
  version: '4.3.6',
  alarms: [],
  container: 'running',
  clustered: true,
  ...o,
});
const NODES = [1, 2, 3].map((n) => ({ name: `rabbit${n}`, erlangNode: R(n) }));
const statusWith = (counts: [number, number, number], nodes = NODES.map((n) => node(n.name))): StatusData => ({
  cluster: 'prod',
  version: '4.3.6',
  nodes,
  partitions: [],
  queues: queueSummary(
    parseQueues(listQueues(on(counts), 2), 4),
    4,
    NODES.filter((n) => nodes.find((x) => x.name === n.name)?.running),
  ),
  source: 'rabbitmqctl',
  healthy: true,
});
const none: ExtraFacts = { quorumCritical: [], deprecated: [], support: undefined, notes: [] };

describe('quorum leaders per node', () => {
  test('read from list_queues … leader: classic queues (leader "") are not counted, every running node is listed', () => {
    expect(statusWith([5, 0, 1]).queues?.leaders).toEqual({ rabbit1: 5, rabbit2: 0, rabbit3: 1 });
    expect(queueSummary(parseQueues(listQueues([], 3), 4), 4, NODES).leaders).toBeUndefined();
  });

  test.each([
    // [leaders per node, flagged?]: share = ceil(N/k), limit = max(ceil(1.5 share), share + 2)
    [[12, 0, 0], true],
    [[9, 2, 1], true], // 12 on 3: share 4, limit 6
    [[6, 3, 3], false],
    [[7, 3, 2], true],
    [[6, 2, 1], true], // 9 on 3: share 3, limit 5
    [[5, 2, 2], false],
    [[3, 0, 0], false], // too few to be worth an election each
    [[4, 0, 0], false], // 4 on 3: share 2, limit 4
    [[5, 0, 0], true],
    [[52, 24, 24], true], // 100 on 3: share 34, limit 51
    [[51, 25, 24], false],
  ] as Array<[[number, number, number], boolean]>)('%j → flagged %s', (counts, flagged) => {
    const findings = judgeStatus(statusWith(counts), none).filter((f) => f.check === 'leader-imbalance');
    expect(findings.length === 1).toBe(flagged);
    if (flagged) {
      expect(findings[0]).toMatchObject({
        severity: 'degraded',
        subject: 'rabbit1',
        action: '`rmq-compose rebalance`',
        run: { action: 'rebalance', argv: [] },
      });
      expect(findings[0]!.what).toContain(`rabbit1 leads ${counts[0]} of ${counts[0] + counts[1] + counts[2]} quorum queues`);
    }
  });

  test('down and drained nodes are left out: they cannot or must not lead', () => {
    // rabbit3 down: its leaders went to the others; 6/6 over 2 running nodes is even
    expect(
      leaderImbalance(statusWith([6, 6, 0], [node('rabbit1'), node('rabbit2'), node('rabbit3', { running: false, clustered: false, container: 'exited' })])),
    ).toBeUndefined();
    // rabbit2 drained leads nothing by design: 6 and 6 on the other two is even
    expect(leaderImbalance(statusWith([6, 0, 6], [node('rabbit1'), node('rabbit2', { maintenance: true }), node('rabbit3')]))).toBeUndefined();
    // one running node: nothing to spread to
    expect(leaderImbalance(statusWith([9, 0, 0], [node('rabbit1'), node('rabbit2', { running: false }), node('rabbit3', { running: false })]))).toBeUndefined();
  });
});

describe('rebalance', () => {
  let dir: string;
  let m: ClusterManifest;
  beforeAll(async () => {
    m = fakeManifest();
    m.rabbitmq = { ...m.rabbitmq, image: 'rabbitmq:4.3-management', version: '4.3.6', major: 4, minor: 3, formation: 'auto', mirroring: false, plugins: [] };
    m.nodes = m.nodes.map((n) => ({ ...n, type: 'disc' as const }));
    dir = await clusterDir(m);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const LIST = /^exec -T rabbit1 rabbitmqctl -q list_queues --vhost=\/ --formatter json -- name type policy members online leader$/;
  const REBALANCE = 'exec -T rabbit1 rabbitmq-queues rebalance quorum';
  const script = (rebalance: { exitCode?: number; stderr?: string } = {}) =>
    new ScriptedRunner([
      COMPOSE_V2,
      [
        PS,
        psJson([
          ['rabbit1', 'running', 'healthy'],
          ['rabbit2', 'running', 'healthy'],
          ['rabbit3', 'running', 'healthy'],
        ]),
      ],
      [/cluster_status/, clusterStatusJson({ disc: MEMBERS, running: MEMBERS, version: '4.3.6' })],
      [LIST, [{ stdout: listQueues(on([10, 1, 1]), 1) }, { stdout: listQueues(on([4, 4, 4]), 1) }]],
      [REBALANCE, { stdout: 'Re-balancing leaders of quorum queues...\n', ...rebalance }],
    ]);
  const run = (argv: string[], runner: ScriptedRunner, audit = new MemoryAudit()) =>
    runAction('rebalance', argv, {
      dir,
      actor: { via: 'cli', id: 'tester' },
      audit,
      lock: new MemoryLock(),
      tools: fakeTools(runner),
      progress: () => undefined,
    });

  test('runs rabbitmq-queues rebalance quorum on a running node (an argv, with a timeout) and reports leaders before and after', async () => {
    const runner = script();
    const audit = new MemoryAudit();
    const r = await run([], runner, audit);
    expect(r.ok).toBe(true);
    expect(r.data as RebalanceData).toEqual({ via: 'rabbit1', before: { rabbit1: 10, rabbit2: 1, rabbit3: 1 }, after: { rabbit1: 4, rabbit2: 4, rabbit3: 4 } });
    expect(r.headline).toBe('quorum leaders rebalanced: rabbit1 4, rabbit2 4, rabbit3 4');
    expect(r.text).toContain('before: rabbit1 10, rabbit2 1, rabbit3 1');
    const calls = runner.calls.filter((c) => c.startsWith('exec'));
    expect(calls.filter((c) => LIST.test(c) || c === REBALANCE)).toEqual([expect.stringMatching(LIST), REBALANCE, expect.stringMatching(LIST)]);
    const command = runner.commands.find((c) => c.args.join(' ').endsWith('rabbitmq-queues rebalance quorum'))!;
    expect(command.args.slice(-3)).toEqual(['rabbitmq-queues', 'rebalance', 'quorum']);
    expect(command.timeoutMs).toBe(REBALANCE_TIMEOUT_MS);
    // mutating: locked and audited like every change
    expect(audit.entries.map((e) => e.result)).toEqual(['started', 'ok']);
  });

  test('a failed rebalance fails the action, with no after', async () => {
    await expect(run([], script({ exitCode: 69, stderr: 'Error: unable to perform an operation on node' }))).rejects.toThrow(/rebalance quorum/);
  });

  test('every argument is refused; 3.x is refused before anything runs', async () => {
    const runner = script();
    await expect(run(['--all'], runner)).rejects.toThrow(/rebalance takes no arguments/);
    await expect(run(['quorum; rm -rf /'], runner)).rejects.toThrow(/rebalance takes no arguments/);
    expect(runner.calls.filter((c) => c.includes('rebalance'))).toEqual([]);
    const three = await clusterDir(fakeManifest());
    try {
      const r3 = new ScriptedRunner([COMPOSE_V2]);
      await expect(
        runAction('rebalance', [], {
          dir: three,
          actor: { via: 'cli', id: 'tester' },
          audit: new MemoryAudit(),
          lock: new MemoryLock(),
          tools: fakeTools(r3),
          progress: () => undefined,
        }),
      ).rejects.toThrow(RefusedError);
      expect(r3.calls.filter((c) => c.startsWith('exec'))).toEqual([]);
    } finally {
      await rm(three, { recursive: true, force: true });
    }
  });
});
