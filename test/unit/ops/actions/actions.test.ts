import { rm } from 'node:fs/promises';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { statusBlocks } from '../../../../bot/render/status-blocks.js';
import type { ProgressStep } from '../../../../ops/action.js';
import { RefusedError } from '../../../../ops/errors.js';
import { runAction } from '../../../../ops/run-action.js';
import type { StatusData } from '../../../../ops/status/status-view.js';
import type { OpsTools } from '../../../../ops/ops-tools.js';
import { clusterDir, clusterStatusJson, COMPOSE_V2, ENGINE_UP, fakeTools, PS, psJson, ScriptedRunner, type Reply } from '../fake-runner.js';

const actor = { via: 'cli' as const, id: 'tester' };
const CS = (svc: string) => `exec -T ${svc} rabbitmqctl -q cluster_status --formatter json`;
const R = (n: number) => `rabbit@rabbit${n}`;
const ALL_UP = psJson([
  ['rabbit1', 'running', 'healthy'],
  ['rabbit2', 'running', 'healthy'],
  ['rabbit3', 'running', 'healthy'],
]);
const OK: Reply = { exitCode: 0 };

let dir: string;
const manifest = fakeManifest();
manifest.policies = [
  { name: 'ha-all', pattern: '^', applyTo: 'queues', priority: 1, vhost: '/', definition: { 'ha-mode': 'all', 'ha-sync-mode': 'automatic' } },
];
beforeAll(async () => {
  dir = await clusterDir(manifest);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function run(name: string, argv: string[], runner: ScriptedRunner, steps: ProgressStep[] = []) {
  return runAction(name, argv, { dir, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner), progress: (s) => steps.push(s) });
}
const ctlCalls = (r: ScriptedRunner) => r.calls.filter((c) => / rabbitmqctl (stop_app|reset|join_cluster|start_app|set_policy|forget_cluster_node)/.test(c));

/** `status` on a cluster whose nodes publish the management port; the temp folder goes either way. */
async function statusThroughApi(runner: ScriptedRunner, http: OpsTools['http']) {
  const withApi = fakeManifest();
  withApi.nodes = withApi.nodes.map((n, i) => ({ ...n, ports: { amqp: 5672 + i, management: 15672 + i } }));
  const apiDir = await clusterDir(withApi);
  try {
    const result = await runAction('status', [], { dir: apiDir, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner, { http }) });
    return { result, data: result.data as StatusData };
  } finally {
    await rm(apiDir, { recursive: true, force: true });
  }
}

describe('deploy', () => {
  test('manual formation: up, healthy, then stop_app/reset/join_cluster [--ram]/start_app per node, then policies', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      ENGINE_UP,
      ['up -d --remove-orphans', OK],
      [PS, [psJson([['rabbit1', 'running', 'starting']]), ALL_UP]],
      [
        CS('rabbit1'),
        [clusterStatusJson({ disc: [R(1)], running: [R(1)] }), clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] })],
      ],
      [/^exec -T rabbit\d rabbitmqctl /, OK],
    ]);
    const steps: ProgressStep[] = [];
    const result = await run('deploy', [], runner, steps);
    expect(result.ok).toBe(true);
    expect(ctlCalls(runner)).toEqual([
      'exec -T rabbit2 rabbitmqctl stop_app',
      'exec -T rabbit2 rabbitmqctl reset',
      'exec -T rabbit2 rabbitmqctl join_cluster --ram -- rabbit@rabbit1',
      'exec -T rabbit2 rabbitmqctl start_app',
      'exec -T rabbit3 rabbitmqctl stop_app',
      'exec -T rabbit3 rabbitmqctl reset',
      'exec -T rabbit3 rabbitmqctl join_cluster --ram -- rabbit@rabbit1',
      'exec -T rabbit3 rabbitmqctl start_app',
      'exec -T rabbit1 rabbitmqctl set_policy --vhost=/ --apply-to=queues --priority=1 -- ha-all ^ {"ha-mode":"all","ha-sync-mode":"automatic"}',
    ]);
    expect(steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual([
      'compose',
      'engines',
      'up-local',
      'healthy',
      'started',
      'join-rabbit2',
      'join-rabbit3',
      'clustered',
      'policy-ha-all',
    ]);
    // the app runs on every node before anything asks it (healthy only means the VM answers ping)
    const awaits = runner.calls.map((c, i) => [c, i] as const).filter(([c]) => / rabbitmqctl await_startup --timeout \d+$/.test(c));
    expect(awaits.map(([c]) => c.split(' ')[2])).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    expect(Math.max(...awaits.map(([, i]) => i))).toBeLessThan(runner.calls.indexOf(CS('rabbit1')));
    // compose is always called with the project, the file and the .env of the cluster folder
    expect(runner.commands.find((c) => c.args.includes('up'))!.args.slice(0, 7)).toEqual([
      'compose',
      '-p',
      'seed',
      '-f',
      `${dir}/docker-compose.yml`,
      '--env-file',
      `${dir}/.env`,
    ]);
  });

  test('a re-deploy leaves members alone (never resets a clustered node)', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      ENGINE_UP,
      ['up -d --remove-orphans', OK],
      [PS, ALL_UP],
      [CS('rabbit1'), clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] })],
      [/rabbitmqctl /, OK],
    ]);
    await run('deploy', [], runner);
    expect(ctlCalls(runner).filter((c) => /stop_app|reset/.test(c))).toEqual([]);
  });

  test('a node that never turns healthy: a deadline error naming it', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      ENGINE_UP,
      ['up -d --remove-orphans', OK],
      [
        PS,
        psJson([
          ['rabbit1', 'running', 'healthy'],
          ['rabbit2', 'running', 'unhealthy'],
          ['rabbit3', 'running', 'healthy'],
        ]),
      ],
    ]);
    await expect(run('deploy', [], runner)).rejects.toThrow(/waiting for healthy containers \(still waiting for rabbit2\)/);
  });
});

describe('join', () => {
  test('refuses to turn the only disc node into a ram node', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [PS, ALL_UP],
      [CS('rabbit2'), clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] })],
    ]);
    await expect(run('join', ['rabbit1', '--ram', '--to', 'rabbit2'], runner)).rejects.toThrow(/only disc node/);
    expect(ctlCalls(runner)).toEqual([]);
  });

  test('refuses to reset the last running disc node', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [PS, ALL_UP],
      [CS('rabbit2'), clusterStatusJson({ disc: [R(1), R(3)], ram: [R(2)], running: [R(1), R(2)] })],
    ]);
    const joining = run('join', ['rabbit1', '--to', 'rabbit2'], runner);
    await expect(joining).rejects.toBeInstanceOf(RefusedError);
    await expect(joining).rejects.toThrow(/last running disc node/);
    expect(ctlCalls(runner)).toEqual([]);
  });

  test('refuses when the target is down', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [
        PS,
        psJson([
          ['rabbit1', 'exited'],
          ['rabbit2', 'running'],
          ['rabbit3', 'running'],
        ]),
      ],
      [CS('rabbit2'), clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(2), R(3)] })],
    ]);
    await expect(run('join', ['rabbit3'], runner)).rejects.toThrow(/rabbit1 is down \(container: exited\)/);
    expect(ctlCalls(runner)).toEqual([]);
  });

  test('joins in the seed order and waits until clustered', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [PS, ALL_UP],
      [CS('rabbit1'), clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] })],
      [/rabbitmqctl /, OK],
    ]);
    const result = await run('join', ['rabbit3', '--disc'], runner);
    expect(result.headline).toBe('rabbit3 joined rabbit@rabbit1 as a disc node');
    expect(ctlCalls(runner)).toEqual([
      'exec -T rabbit3 rabbitmqctl stop_app',
      'exec -T rabbit3 rabbitmqctl reset',
      'exec -T rabbit3 rabbitmqctl join_cluster -- rabbit@rabbit1',
      'exec -T rabbit3 rabbitmqctl start_app',
    ]);
  });
});

describe('status', () => {
  test('a stopped container shows as down; the bot renders the same typed data; source says why rabbitmqctl', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [
        PS,
        psJson([
          ['rabbit1', 'running', 'healthy'],
          ['rabbit2', 'running', 'healthy'],
          ['rabbit3', 'exited'],
        ]),
      ],
      [CS('rabbit1'), clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2)] })],
      [/^exec -T rabbit1 rabbitmqctl -q list_queues --vhost=\/ --no-table-headers -- name type policy slave_pids synchronised_slave_pids$/, { stdout: '' }],
    ]);
    const result = await run('status', [], runner);
    const data = result.data as StatusData;
    expect(result.ok).toBe(true);
    expect(result.headline).toBe('seed: 2/3 nodes running (needs attention)');
    expect(data.nodes.map((n) => [n.name, n.running, n.type, n.container])).toEqual([
      ['rabbit1', true, 'disc', 'running'],
      ['rabbit2', true, 'ram', 'running'],
      ['rabbit3', false, 'ram', 'exited'],
    ]);
    expect(data.source).toMatch(/^rabbitmqctl on rabbit1 \(management API not used: /);
    expect(JSON.stringify(statusBlocks(data))).toContain('`rabbit3`  *DOWN*');
    expect(runner.calls.some((c) => c.includes('exec -T rabbit3'))).toBe(false);
  });

  test('every container down: all nodes down, no exec, still a report', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [
        PS,
        psJson([
          ['rabbit1', 'exited'],
          ['rabbit2', 'exited'],
        ]),
      ],
    ]);
    const data = (await run('status', [], runner)).data as StatusData;
    expect(data.nodes.map((n) => [n.running, n.container])).toEqual([
      [false, 'exited'],
      [false, 'exited'],
      [false, 'missing'],
    ]);
    expect(runner.calls.filter((c) => c.startsWith('exec'))).toEqual([]);
  });

  test('the management API is used when it answers, with the credentials from .env', async () => {
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP]]);
    const seen: string[] = [];
    const http = async (url: string, auth: { user: string; password: string }) => {
      seen.push(`${url} ${auth.user}:${auth.password}`);
      if (url.endsWith('/api/overview')) return { rabbitmq_version: '3.13.7' };
      if (url.includes('/api/nodes?'))
        return [1, 2, 3].map((n) => ({
          name: R(n),
          type: n === 1 ? 'disc' : 'ram',
          running: n !== 3,
          mem_alarm: n === 2,
          disk_free_alarm: false,
          partitions: [],
          being_drained: false,
        }));
      return [{ name: 'orders', type: 'classic', slave_nodes: [R(2)], synchronised_slave_nodes: [] }];
    };
    const { result, data } = await statusThroughApi(runner, http);
    expect(data.source).toBe('management API http://127.0.0.1:15672');
    expect(data.nodes.map((n) => [n.name, n.running, n.alarms])).toEqual([
      ['rabbit1', true, []],
      ['rabbit2', true, ['memory']],
      ['rabbit3', false, []],
    ]);
    expect(data.queues?.unhealthy).toEqual(['orders (1 unsynchronised mirror: rabbit@rabbit2)']);
    expect(seen[0]).toBe('http://127.0.0.1:15672/api/overview admin:pass-SECRET-1234');
    expect(JSON.stringify(result)).not.toContain('pass-SECRET-1234');
  });
});

describe('status through the management API of a 3.10 node (no being_drained)', () => {
  test('maintenance comes from one cluster_status; versions from the rabbit application', async () => {
    const status = JSON.parse(clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] }).stdout!) as Record<string, unknown>;
    status.maintenance_status = { [R(1)]: 'not under maintenance', [R(2)]: 'marked for maintenance', [R(3)]: 'not under maintenance' };
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [CS('rabbit1'), { stdout: JSON.stringify(status) }]]);
    const http = async (url: string) => {
      if (url.endsWith('/api/overview')) return { rabbitmq_version: '3.10.8' };
      if (url.includes('/api/nodes?'))
        return [1, 2, 3].map((n) => ({
          name: R(n),
          type: n === 1 ? 'disc' : 'ram',
          running: true,
          mem_alarm: false,
          disk_free_alarm: false,
          partitions: [],
          applications: [{ name: 'rabbit', description: 'RabbitMQ', version: '3.10.8' }],
        }));
      return [];
    };
    const { data } = await statusThroughApi(runner, http);
    expect(data.nodes.map((n) => [n.name, n.running, n.version, n.maintenance])).toEqual([
      ['rabbit1', true, '3.10.8', false],
      ['rabbit2', true, '3.10.8', true],
      ['rabbit3', true, '3.10.8', false],
    ]);
    expect(runner.calls.filter((c) => c.includes('cluster_status'))).toHaveLength(1);
  });
});

describe('status on 3.10 with node addresses: client listeners tell who is not drained', () => {
  const nodesApi = async (url: string) => {
    if (url.endsWith('/api/overview')) return { rabbitmq_version: '3.10.8' };
    if (url.includes('/api/nodes?')) return [1, 2, 3].map((n) => ({ name: R(n), type: n === 1 ? 'disc' : 'ram', running: true, partitions: [] }));
    return [];
  };
  async function statusWith(refusing: string[]) {
    const status = JSON.parse(clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] }).stdout!) as Record<string, unknown>;
    status.maintenance_status = { [R(1)]: 'not under maintenance', [R(2)]: 'marked for maintenance', [R(3)]: 'not under maintenance' };
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [CS('rabbit1'), { stdout: JSON.stringify(status) }]]);
    const probed: string[] = [];
    const probe = async (host: string, port: number) => {
      probed.push(`${host}:${port}`);
      return !refusing.includes(host);
    };
    const m = fakeManifest();
    m.nodes = m.nodes.map((n, i) => ({ ...n, address: `172.30.9.${10 + i}`, ports: { amqp: 5672 + i, management: 15672 + i } }));
    const dir = await clusterDir(m);
    try {
      const result = await runAction('status', [], {
        dir,
        actor,
        audit: new MemoryAudit(),
        lock: new MemoryLock(),
        tools: fakeTools(runner, { http: nodesApi, probe }),
      });
      return { data: result.data as StatusData, runner, probed };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  test('every node accepts on its container address: no rabbitmqctl at all', async () => {
    const { data, runner, probed } = await statusWith([]);
    expect(probed).toEqual(['172.30.9.10:5672', '172.30.9.11:5672', '172.30.9.12:5672']);
    expect(data.nodes.map((n) => n.maintenance)).toEqual([false, false, false]);
    expect(runner.calls.filter((c) => c.includes('cluster_status'))).toHaveLength(0);
  });

  test('a node that refuses is settled by one cluster_status', async () => {
    const { data, runner } = await statusWith(['172.30.9.11']);
    expect(data.nodes.map((n) => n.maintenance)).toEqual([false, true, false]);
    expect(runner.calls.filter((c) => c.includes('cluster_status'))).toHaveLength(1);
  });
});

describe('mirror-policy and secrets', () => {
  test('set passes name, pattern and definition as separate argv entries', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [PS, ALL_UP],
      [CS('rabbit1'), clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] })],
      [/set_policy/, OK],
    ]);
    await run('mirror-policy', ['set', 'ha-two', '^orders\\.', 'exactly', '2'], runner);
    const cmd = runner.commands.find((c) => c.args.includes('set_policy'))!;
    expect(cmd.args.slice(-8, -1)).toEqual(['set_policy', '--vhost=/', '--apply-to=queues', '--priority=0', '--', 'ha-two', '^orders\\.']);
    expect(cmd.args.at(-1)).toBe('{"ha-mode":"exactly","ha-params":2}');
    // every command carries the .env values so the runner masks them
    expect(cmd.secrets).toEqual(expect.arrayContaining(['pass-SECRET-1234', 'COOKIESECRETCOOKIE']));
  });
});

describe('quorum gate before restart and drain', () => {
  const CLUSTERED = clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(2), R(3)] });
  const GATE = /^exec -T rabbit2 rabbitmq-queues check_if_node_is_(quorum|mirror_sync)_critical$/;
  // what 3.x/4.x print when a quorum queue would lose its majority
  const CRITICAL: Reply = { exitCode: 69, stderr: 'Error:\nNode rabbit@rabbit2 is quorum critical: jobs in vhost / would lose quorum if it were stopped\n' };

  test('a node some queue needs right now: refused (exit 3) with what RabbitMQ said, nothing restarted', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [PS, ALL_UP],
      [CS('rabbit1'), CLUSTERED],
      [CS('rabbit2'), CLUSTERED],
      [GATE, CRITICAL],
      ['restart rabbit2', OK],
    ]);
    const failing = run('restart', ['rabbit2'], runner);
    await expect(failing).rejects.toBeInstanceOf(RefusedError);
    const message = ((await failing.catch((e: unknown) => e)) as Error).message;
    expect(message).toMatch(/^not restarting rabbit2: some queues need it right now/);
    expect(message).toContain('jobs in vhost / would lose quorum');
    expect(message).toContain('`restart rabbit2 --force`');
    expect(runner.calls).not.toContain('restart rabbit2');
    await expect(run('drain', ['rabbit2'], runner)).rejects.toThrow(/^not draining rabbit2/);
    expect(runner.calls.some((c) => / rabbitmq-upgrade drain$/.test(c))).toBe(false);
  });

  test('--force goes ahead, and the step says what was overridden', async () => {
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [GATE, CRITICAL], ['restart rabbit2', OK]]);
    const steps: ProgressStep[] = [];
    const r = await run('restart', ['rabbit2', '--force'], runner, steps);
    expect(r.ok).toBe(true);
    expect(runner.calls).toContain('restart rabbit2');
    expect(steps.find((s) => s.id === 'quorum-gate' && s.state === 'done')?.detail).toMatch(
      /^critical \(forced past with --force\): check_if_node_is_quorum_critical: Node rabbit@rabbit2 is quorum critical/,
    );
  });

  test('a node no queue depends on alone passes; a stopped node is not asked', async () => {
    const runner = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [/cluster_status/, CLUSTERED], [GATE, OK], ['restart rabbit2', OK]]);
    expect((await run('restart', ['rabbit2'], runner)).ok).toBe(true);
    const down = psJson([
      ['rabbit1', 'running', 'healthy'],
      ['rabbit2', 'exited'],
      ['rabbit3', 'running', 'healthy'],
    ]);
    const stopped = new ScriptedRunner([
      COMPOSE_V2,
      [PS, [down, ALL_UP]],
      [/cluster_status/, [clusterStatusJson({ disc: [R(1)], ram: [R(2), R(3)], running: [R(1), R(3)] }), CLUSTERED]],
      ['restart rabbit2', OK],
    ]);
    expect((await run('restart', ['rabbit2'], stopped)).ok).toBe(true);
    expect(stopped.calls.some((c) => GATE.test(c))).toBe(false);
  });
});

describe('status on 4.3 through the management API', () => {
  test("a stopped node's quorum member is offline even when /api/queues still lists it online (captured on 4.3.6)", async () => {
    const m = fakeManifest();
    m.rabbitmq = { ...m.rabbitmq, image: 'rabbitmq:4.3-management', version: '4.3.6', major: 4, minor: 3, formation: 'auto', mirroring: false };
    m.policies = [];
    m.nodes = m.nodes.map((n, i) => ({ ...n, type: 'disc' as const, ports: { amqp: 5672 + i, management: 15672 + i } }));
    const d43 = await clusterDir(m);
    try {
      const { readFileSync } = await import('node:fs');
      const apiQueues = JSON.parse(
        readFileSync(new URL('../../../fixtures/rabbitmqctl/api-queues-4.3.6-member-down.json', import.meta.url), 'utf8'),
      ) as unknown;
      const http = async (url: string) => {
        if (url.endsWith('/api/overview')) return { rabbitmq_version: '4.3.6' };
        if (url.includes('/api/nodes?')) return [1, 2, 3].map((n) => ({ name: R(n), type: 'disc', running: n !== 3, partitions: [], being_drained: false }));
        if (url.includes('/api/queues/')) return apiQueues;
        throw new Error(`unexpected ${url}`);
      };
      const runner = new ScriptedRunner([
        COMPOSE_V2,
        [
          PS,
          psJson([
            ['rabbit1', 'running', 'healthy'],
            ['rabbit2', 'running', 'healthy'],
            ['rabbit3', 'exited'],
          ]),
        ],
      ]);
      const r = await runAction('status', [], { dir: d43, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner, { http }) });
      const data = r.data as StatusData;
      expect(data.queues).toEqual({
        kind: 'quorum',
        total: 1,
        // counted as status judged it: the member on the stopped node is behind, whatever the API said
        states: { 'no-majority': 0, lagging: 1, 'in-sync': 0, unreplicated: 0 },
        unhealthy: ['jobs (2/3 members online; offline: rabbit@rabbit3)'],
      });
      expect(data.healthy).toBe(false);
    } finally {
      await rm(d43, { recursive: true, force: true });
    }
  });
});
