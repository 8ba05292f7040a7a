import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { InvalidArgumentError, RefusedError } from '../../../../ops/errors.js';
import { runAction } from '../../../../ops/run-action.js';
import { clusterStatusJson, COMPOSE_V2, fakeTools, PS, psJson, ScriptedRunner, TEAM_SPEC_40, THREE_UP } from '../fake-runner.js';

/** `upgrade`'s parser and the refusals that must come before any node or file is touched. */
const actor = { via: 'cli' as const, id: 'tester' };
const SPEC = TEAM_SPEC_40;
const ALL_UP = THREE_UP;
const R = [1, 2, 3].map((n) => `rabbit@rabbit${n}`);
const CS = 'exec -T rabbit1 rabbitmqctl -q cluster_status --formatter json';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-upgrade-test-'));
  dir = join(root, 'seed');
  await mkdir(dir);
  await writeFile(join(root, 'rmq-cluster.yaml'), SPEC);
  const manifest = { ...fakeManifest('seed'), spec: '../rmq-cluster.yaml' };
  manifest.nodes = manifest.nodes.map((n) => ({ ...n, type: 'disc' as const }));
  await writeFile(join(dir, 'rmq-compose.json'), JSON.stringify(manifest));
  await writeFile(join(dir, '.env'), 'RABBITMQ_DEFAULT_PASS=pass-SECRET-1234\nRABBITMQ_ERLANG_COOKIE=COOKIESECRETCOOKIE\n');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

function running(version: string, extra: Parameters<typeof clusterStatusJson>[0] extends infer O ? Partial<O> : never = {}) {
  return new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [CS, clusterStatusJson({ disc: R, running: R, version, ...extra })]]);
}
const upgrade = (argv: string[], runner: ScriptedRunner) =>
  runAction('upgrade', argv, { dir, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner) });
const changedNothing = async (runner: ScriptedRunner) => {
  expect(await readFile(join(root, 'rmq-cluster.yaml'), 'utf8')).toBe(SPEC);
  expect(runner.calls.filter((c) => /^(up|pull|image|exec -T \S+ rabbitmq-upgrade)/.test(c))).toEqual([]);
};

describe('upgrade: arguments', () => {
  test.each([
    [[], /say which image/],
    [['--to'], /--to needs a value/],
    [['--to', 'Rabbitmq:4.3'], /not a Docker image reference/],
    [['--to', 'rabbitmq:4.3; rm -rf /'], /not a Docker image reference/],
    [['--to', '-rabbitmq'], /not a Docker image reference/],
    [['--to', 'rabbitmq:4.3', '--version', '4.x'], /--version must look like 4\.3/],
    [['--to', 'rabbitmq:4.3', 'now'], /unexpected argument "now"/],
  ])('%j is refused before anything runs', async (argv, message) => {
    const runner = running('4.0.5');
    const error = await upgrade(argv, runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect(runner.calls).toEqual([]);
  });

  test('registry, port, path, tag and digest forms are accepted', async () => {
    for (const image of ['rabbitmq:4.0.9-management', 'registry.example.com:5000/team/rabbitmq:4.0', `rabbitmq@sha256:${'a'.repeat(64)}`]) {
      const runner = running('4.0.5');
      // it gets as far as the pre-check (and the refusal of a version it cannot tell, for the digest)
      await upgrade(['--to', image], runner).catch(() => undefined);
      expect(runner.calls[0]).toMatch(/^compose version|^ps /);
    }
  });
});

describe('upgrade: refusals before anything changes', () => {
  test('3.10 → 4.3 in place: refused, with migrate or the 3.13 route suggested', async () => {
    const runner = running('3.10.8');
    await expect(upgrade(['--to', 'rabbitmq:4.3-management'], runner)).rejects.toThrow(
      /not upgrading 3\.10\.8 → 4\.3: no rolling upgrade[\s\S]*Instead: `migrate`.*3\.10 → 3\.11 → 3\.12 → 3\.13/,
    );
    await changedNothing(runner);
  });

  test('4.0 → 4.3 in place: refused, naming the lines to go through', async () => {
    const runner = running('4.0.5');
    const error = await upgrade(['--to', 'rabbitmq:4.3-management'], runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toMatch(/cannot skip release lines\. Upgrade through 4\.2 → 4\.3, one `upgrade --to` per line/);
    await changedNothing(runner);
  });

  test('a downgrade and an image whose tag does not say its version', async () => {
    await expect(upgrade(['--to', 'rabbitmq:3.13-management'], running('4.0.5'))).rejects.toThrow(/downgrade/);
    await expect(upgrade(['--to', 'rabbitmq:management'], running('4.0.5'))).rejects.toThrow(/does not say which RabbitMQ version[\s\S]*--version/);
  });

  test('a node down, an alarm, or a drained node: refused', async () => {
    const oneDown = new ScriptedRunner([
      COMPOSE_V2,
      [
        PS,
        psJson([
          ['rabbit1', 'running', 'healthy'],
          ['rabbit2', 'exited'],
          ['rabbit3', 'running', 'healthy'],
        ]),
      ],
      [CS, clusterStatusJson({ disc: R, running: [R[0]!, R[2]!], version: '4.0.5' })],
    ]);
    await expect(upgrade(['--to', 'rabbitmq:4.0.9-management'], oneDown)).rejects.toThrow(/rabbit2 is not running in the cluster/);
    const alarmed = JSON.parse(clusterStatusJson({ disc: R, running: R, version: '4.0.5' }).stdout!);
    alarmed.alarms = [{ type: 'resource_limit', resource: 'memory', node: 'rabbit@rabbit2' }];
    const alarm = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [CS, { stdout: JSON.stringify(alarmed) }]]);
    await expect(upgrade(['--to', 'rabbitmq:4.0.9-management'], alarm)).rejects.toThrow(/resource alarm is on \(memory on rabbit@rabbit2\)/);
    const drainedStatus = JSON.parse(clusterStatusJson({ disc: R, running: R, version: '4.0.5' }).stdout!);
    drainedStatus.maintenance_status['rabbit@rabbit3'] = 'marked for maintenance';
    const drained = new ScriptedRunner([COMPOSE_V2, [PS, ALL_UP], [CS, { stdout: JSON.stringify(drainedStatus) }]]);
    await expect(upgrade(['--to', 'rabbitmq:4.0.9-management'], drained)).rejects.toThrow(/rabbit3 is under maintenance; `revive` first/);
  });

  test('a cluster generated from the bundled seed spec: refused, saying how to get a spec of its own', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'rmq-compose.json'), 'utf8'));
    delete manifest.spec;
    await writeFile(join(dir, 'rmq-compose.json'), JSON.stringify(manifest));
    await expect(upgrade(['--to', 'rabbitmq:4.0.9-management'], running('4.0.5'))).rejects.toThrow(/bundled seed spec[\s\S]*rmq-compose init/);
  });

  test("a spec the new version cannot take (a RAM node on 4.3) is refused with the generator's reasons", async () => {
    await writeFile(
      join(root, 'rmq-cluster.yaml'),
      SPEC.replace('nodes: 3', 'nodes: [rabbit1, { name: rabbit2, type: ram }, rabbit3]').replace('rabbitmq:4.0-management', 'rabbitmq:4.2-management'),
    );
    await expect(upgrade(['--to', 'rabbitmq:4.3-management'], running('4.2.1'))).rejects.toThrow(
      /is not a spec rmq-compose can generate; nothing was changed[\s\S]*RAM nodes do not exist in RabbitMQ 4\.3/,
    );
  });

  test('an unfinished upgrade to another image: refused until it is finished', async () => {
    await mkdir(join(dir, '.rmq-compose'));
    await writeFile(
      join(dir, '.rmq-compose', 'upgrade.json'),
      JSON.stringify({ image: 'rabbitmq:4.0.9-management', from: '4.0.5', startedAt: '2026-11-28T10:00:00.000Z', filesWritten: true, done: ['rabbit1'] }),
    );
    const runner = running('4.0.5');
    await expect(upgrade(['--to', 'rabbitmq:4.1-management'], runner)).rejects.toThrow(
      /an upgrade to rabbitmq:4\.0\.9-management .* is unfinished \(done: rabbit1\); finish it first/,
    );
    expect(runner.calls).toEqual([]);
  });
});
