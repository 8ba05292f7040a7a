import { rm } from 'node:fs/promises';
import type { ClusterManifest } from '../../../contract/manifest.js';
import type { ClusterHandle, ProgressStep } from '../../../ops/action.js';
import { ComposeClient } from '../../../ops/compose/compose-client.js';
import { DockerUnavailableError, MachinesFailedError } from '../../../ops/errors.js';
import { ManagementApi } from '../../../ops/rabbit/management-api.js';
import { runAction } from '../../../ops/run-action.js';
import type { Command, CommandResult, CommandRunner } from '../../../ops/runner/command.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../support/memory-ops.js';
import {
  clusterDir,
  clusterStatusJson,
  COMPOSE_V2,
  ENGINE_UP,
  ENGINE_VERSION,
  fakeTools,
  keyOf,
  PS,
  psJson,
  ScriptedRunner,
  type Reply,
} from './fake-runner.js';

/** A `hosts:` layout: one node per machine, each machine reached as `docker[i]` says (undefined: the local engine). */
function multiHostManifest(docker: Array<string | undefined>): ClusterManifest {
  const m = fakeManifest('prod');
  m.project = 'rmq-prod';
  m.nodes = m.nodes.map((n, i) => ({ ...n, host: `mq${i + 1}`, ports: { amqp: 5672, management: 15672 } }));
  m.hosts = m.nodes.map((n, i) => ({
    name: `mq${i + 1}`,
    address: `10.0.0.1${i + 1}`,
    ...(docker[i] ? { docker: docker[i] } : {}),
    composeFile: `hosts/mq${i + 1}/docker-compose.yml`,
    services: [n.name],
  }));
  return m;
}

describe('management API on a hosts layout', () => {
  test('each machine is asked on its own address, also the one without docker: (ports are not on 127.0.0.1 there)', () => {
    const manifest = multiHostManifest([undefined, 'ssh://root@10.0.0.12', 'mq3-context']);
    const api = new ManagementApi(
      { dir: '/x', manifest } as unknown as ClusterHandle,
      { user: 'u', password: 'p', cookie: undefined, all: [] },
      async () => ({}),
    );
    expect(api.candidates()).toEqual(['http://10.0.0.11:15672', 'http://10.0.0.12:15672', 'http://10.0.0.13:15672']);
  });
});

const DOCKER = ['ssh://root@10.0.0.11', 'ssh://root@10.0.0.12', 'mq3-context'];
const R = (n: number) => `rabbit@rabbit${n}`;

/**
 * One ScriptedRunner per engine, chosen by the DOCKER_HOST / DOCKER_CONTEXT a command carries
 * ("local" without either). Counts how many engine calls (version, up, ps) are in flight at
 * once: each takes a few real milliseconds, so calls one after the other never overlap.
 */
class EnginesRunner implements CommandRunner {
  readonly calls: Array<{ engine: string; key: string; command: Command }> = [];
  readonly maxInFlight = new Map<string, number>();
  #inFlight = new Map<string, number>();
  constructor(private readonly engines: Record<string, ScriptedRunner>) {}

  async run(command: Command): Promise<CommandResult> {
    const engine = command.env?.['DOCKER_HOST'] ?? command.env?.['DOCKER_CONTEXT'] ?? 'local';
    const key = keyOf(command);
    this.calls.push({ engine, key, command });
    const kind = /^(version|up|ps) /.exec(key)?.[1];
    if (!kind) return this.engines[engine]!.run(command);
    const now = (this.#inFlight.get(kind) ?? 0) + 1;
    this.#inFlight.set(kind, now);
    this.maxInFlight.set(kind, Math.max(now, this.maxInFlight.get(kind) ?? 0));
    await new Promise((resolve) => setTimeout(resolve, 25));
    this.#inFlight.set(kind, this.#inFlight.get(kind)! - 1);
    return this.engines[engine]!.run(command);
  }
}

/** mq1..mq3, each answering as a healthy, clustered machine unless `over` scripts it otherwise first. */
function engines(over: Partial<Record<'mq1' | 'mq2' | 'mq3', Array<[RegExp | string, Reply | Reply[]]>>> = {}): EnginesRunner {
  const machine = (n: 1 | 2 | 3) =>
    new ScriptedRunner([
      ...(over[`mq${n}`] ?? []),
      ENGINE_UP,
      ['up -d --remove-orphans', { exitCode: 0 }],
      [PS, psJson([[`rabbit${n}`, 'running', 'healthy']])],
      [/cluster_status/, clusterStatusJson({ disc: [R(1), R(2), R(3)], running: [R(1), R(2), R(3)] })],
    ]);
  return new EnginesRunner({ local: new ScriptedRunner([COMPOSE_V2]), [DOCKER[0]!]: machine(1), [DOCKER[1]!]: machine(2), [DOCKER[2]!]: machine(3) });
}

describe('deploy over several engines', () => {
  let dir: string;
  const manifest = multiHostManifest(DOCKER);
  manifest.rabbitmq.formation = 'auto';
  beforeAll(async () => {
    dir = await clusterDir(manifest);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const deploy = (runner: CommandRunner, steps: ProgressStep[] = []) =>
    runAction('deploy', [], {
      dir,
      actor: { via: 'cli', id: 'tester' },
      audit: new MemoryAudit(),
      lock: new MemoryLock(),
      tools: fakeTools(runner),
      progress: (step) => steps.push(step),
    });

  test('every engine is asked first, all at once, each through its own DOCKER_HOST / DOCKER_CONTEXT, with a 20 s limit', async () => {
    const runner = engines();
    const steps: ProgressStep[] = [];
    expect((await deploy(runner, steps)).ok).toBe(true);
    const checks = runner.calls.filter((c) => c.key === ENGINE_VERSION);
    expect(checks.map((c) => [c.engine, c.command.file, c.command.timeoutMs])).toEqual(DOCKER.map((d) => [d, 'docker', 20_000]));
    expect(checks.map((c) => c.command.env)).toEqual([{ DOCKER_HOST: DOCKER[0] }, { DOCKER_HOST: DOCKER[1] }, { DOCKER_CONTEXT: DOCKER[2] }]);
    expect(checks[0]!.command.secrets).toEqual(expect.arrayContaining(['pass-SECRET-1234', 'COOKIESECRETCOOKIE']));
    expect(runner.maxInFlight.get('version')).toBe(3);
    // before anything that changes a machine
    expect(runner.calls.findIndex((c) => c.key.startsWith('up '))).toBeGreaterThan(runner.calls.map((c) => c.key).lastIndexOf(ENGINE_VERSION));
    expect(steps.filter((st) => st.state === 'done').map((st) => st.id)).toEqual(['compose', 'engines', 'up-mq1', 'up-mq2', 'up-mq3', 'healthy', 'clustered']);
  });

  test('unreachable engines: one error, a line per machine (name, address, how it was reached, why), nothing changed', async () => {
    const runner = engines({
      mq2: [[ENGINE_VERSION, { timedOut: true }]],
      mq3: [[ENGINE_VERSION, { exitCode: 1, stderr: 'context "mq3-context" does not exist\n\nPermission denied (publickey).\n' }]],
    });
    const failing = deploy(runner);
    await expect(failing).rejects.toBeInstanceOf(DockerUnavailableError);
    const error = (await failing.catch((e: unknown) => e)) as DockerUnavailableError;
    expect(error.exitCode).toBe(1);
    expect(error.message.split('\n')).toEqual([
      'cannot reach the Docker engine of 2 of 3 machines; nothing was changed:',
      '  mq2 (10.0.0.12): cannot reach the Docker engine through DOCKER_HOST=ssh://root@10.0.0.12: no answer within 20 s',
      '  mq3 (10.0.0.13): cannot reach the Docker engine through DOCKER_CONTEXT=mq3-context: Permission denied (publickey).',
      'Each must answer `docker version` from here (for ssh://: key login and known_hosts already set up for that user), then run deploy again.',
    ]);
    expect(runner.calls.filter((c) => c.key.startsWith('up '))).toEqual([]);
  });

  test('one machine not answering ps once while waiting for healthy nodes does not end the deploy', async () => {
    const runner = engines({
      mq2: [
        [
          PS,
          [
            { exitCode: 1, stderr: 'error during connect: ssh: connect to host 10.0.0.12 port 22: Connection timed out\n' },
            psJson([['rabbit2', 'running', 'healthy']]),
          ],
        ],
      ],
    });
    expect((await deploy(runner)).ok).toBe(true);
  });

  test('compose up runs on every machine at once, each its own step', async () => {
    const runner = engines();
    await deploy(runner);
    expect(runner.calls.filter((c) => c.key.startsWith('up ')).map((c) => c.engine)).toEqual(DOCKER);
    expect(runner.maxInFlight.get('up')).toBe(3);
  });

  test('up fails on one machine: the error names the machines changed and the one that failed, with its reason, and what to do', async () => {
    const runner = engines({
      mq2: [
        [
          'up -d --remove-orphans',
          { exitCode: 1, stderr: ' Container rmq-prod-rabbit2-1  Creating\nError response from daemon: pull access denied for rabbitmq:9\n' },
        ],
      ],
    });
    const steps: ProgressStep[] = [];
    const failing = deploy(runner, steps);
    await expect(failing).rejects.toBeInstanceOf(MachinesFailedError);
    const error = (await failing.catch((e: unknown) => e)) as MachinesFailedError;
    expect(error.message.split('\n')).toEqual([
      'compose up failed on 1 of 3 machines:',
      '  mq2 (10.0.0.12): exit 1: Error response from daemon: pull access denied for rabbitmq:9',
      'Changed (compose up succeeded): mq1 (10.0.0.11), mq3 (10.0.0.13).',
      'Fix what the lines above say and run deploy again: it is idempotent (running containers are kept, clustered nodes are not reset).',
    ]);
    expect([error.changed, error.failed, error.exitCode]).toEqual([['mq1', 'mq3'], ['mq2'], 1]);
    // the others ran to their end; nothing after the ups
    expect(steps.filter((st) => st.id.startsWith('up-') && st.state !== 'running').map((st) => [st.id, st.state])).toEqual(
      expect.arrayContaining([
        ['up-mq1', 'done'],
        ['up-mq2', 'failed'],
        ['up-mq3', 'done'],
      ]),
    );
    expect(steps.some((st) => st.id === 'healthy')).toBe(false);
  });
});

describe('ComposeClient.ps on several machines', () => {
  test('asks every engine at once and keeps the manifest order', async () => {
    const runner = engines();
    const compose = new ComposeClient(runner, { dir: '/x', manifest: multiHostManifest(DOCKER) }, []);
    const containers = await compose.ps();
    expect(containers.map((c) => [c.host, c.service])).toEqual([
      ['mq1', 'rabbit1'],
      ['mq2', 'rabbit2'],
      ['mq3', 'rabbit3'],
    ]);
    expect(runner.maxInFlight.get('ps')).toBe(3);
  });
});

describe('a machine that cannot be reached is a fact for status, not a failure', () => {
  const manifest = multiHostManifest(DOCKER);
  const unreachable = (): Array<[RegExp | string, Reply | Reply[]]> => [
    [PS, { exitCode: 1, stderr: 'error during connect: ssh: connect to host 10.0.0.13 port 22: No route to host\n' }],
  ];

  test('psReachable lists its services as unreachable with the reason; ps still throws', async () => {
    const compose = new ComposeClient(engines({ mq3: unreachable() }), { dir: '/x', manifest }, []);
    const containers = await compose.psReachable();
    expect(containers.map((c) => [c.host, c.service, c.state])).toEqual([
      ['mq1', 'rabbit1', 'running'],
      ['mq2', 'rabbit2', 'running'],
      ['mq3', 'rabbit3', 'unreachable'],
    ]);
    expect(containers[2]!.unreachable).toMatch(/DOCKER_CONTEXT=mq3-context.*No route to host/);
    await expect(new ComposeClient(engines({ mq3: unreachable() }), { dir: '/x', manifest }, []).ps()).rejects.toBeInstanceOf(DockerUnavailableError);
  });

  test('status reports the host, shows its node down and the cluster not healthy', async () => {
    const dir = await clusterDir(manifest);
    try {
      const runner = engines({ mq3: unreachable() });
      const r = await runAction('status', ['--json'].slice(1), {
        dir,
        actor: { via: 'cli', id: 'tester' },
        audit: new MemoryAudit(),
        lock: new MemoryLock(),
        tools: fakeTools(runner),
      });
      const data = r.data as {
        healthy: boolean;
        unreachableHosts?: Array<{ host: string }>;
        nodes: Array<{ name: string; running: boolean; container: string }>;
      };
      expect(data.healthy).toBe(false);
      expect(data.unreachableHosts?.map((u) => u.host)).toEqual(['mq3']);
      expect(data.nodes.find((n) => n.name === 'rabbit3')).toMatchObject({ running: false, container: 'unreachable' });
      expect(r.text).toMatch(/host mq3 UNREACHABLE: .*No route to host/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('partitions does not call an unreachable machine "no partition": its node is unanswered and the machine named', async () => {
    const dir = await clusterDir(manifest);
    try {
      const r = await runAction('partitions', [], {
        dir,
        actor: { via: 'cli', id: 'tester' },
        audit: new MemoryAudit(),
        lock: new MemoryLock(),
        tools: fakeTools(engines({ mq3: unreachable() })),
      });
      expect(r.data).toMatchObject({ partitioned: false, unanswered: ['rabbit3'] });
      expect(r.headline).toBe('prod: no network partition among the nodes that answered (mq3 unreachable)');
      expect(r.text).toMatch(/machine\(s\) mq3 cannot be reached from here/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("deploy refuses machines that would all be this machine's engine", () => {
  test('two hosts without docker: exit 3, both named, nothing run', async () => {
    const manifest = multiHostManifest([undefined, undefined, 'mq3-context']);
    const dir = await clusterDir(manifest);
    try {
      const runner = engines();
      const failing = runAction('deploy', [], {
        dir,
        actor: { via: 'cli', id: 'tester' },
        audit: new MemoryAudit(),
        lock: new MemoryLock(),
        tools: fakeTools(runner),
      });
      await expect(failing).rejects.toThrow(/^machines mq1, mq2 have no docker: in the spec/);
      expect(((await failing.catch((e: unknown) => e)) as { exitCode: number }).exitCode).toBe(3);
      expect(runner.calls.filter((c) => c.key.startsWith('up ') || c.key === ENGINE_VERSION)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
