import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCluster } from '../../../../generator/index.js';
import { RefusedError } from '../../../../ops/errors.js';
import { runAction } from '../../../../ops/run-action.js';
import { packageRoot } from '../../../../lib/package-root.js';
import { snapshotTree } from '../../../helpers/cli.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterStatusJson, COMPOSE_V2, fakeTools, PS, ScriptedRunner, THREE_UP } from '../fake-runner.js';

/**
 * `migrate --dry-run`: green's files, blue's definitions as green gets them (exported, nothing
 * imported), one shovel per queue, the phases in order; nothing written, nothing started. Then
 * `--plan <id>` after blue's spec changed: refused. The seed's shape (3.13, mirrored queues, a
 * load balancer with keepalived), generated for real; the engine scripted.
 */
const actor = { via: 'cli' as const, id: 'tester' };
const TO = 'rabbitmq:4.3-management';
const R = [1, 2, 3].map((n) => `rabbit@rabbit${n}`);

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-migrate-plan-'));
  dir = join(root, 'seed');
  const spec = await readFile(join(packageRoot(), 'specs', 'seed.yaml'), 'utf8');
  await writeFile(join(root, 'rmq-cluster.yaml'), spec);
  await generateCluster(
    { text: spec, name: 'rmq-cluster.yaml', dir: root },
    { outDir: root, env: {}, specFileFrom: () => '../rmq-cluster.yaml', now: new Date('2026-12-07T12:00:00Z') },
  );
});
afterEach(async () => rm(root, { recursive: true, force: true }));

async function blueRunning(): Promise<ScriptedRunner> {
  const exported = await readFile(join(packageRoot(), 'test', 'fixtures', 'rabbitmq', 'definitions-3.10-ha.json'), 'utf8');
  return new ScriptedRunner([
    COMPOSE_V2,
    [PS, THREE_UP],
    [
      'exec -T rabbit1 rabbitmqctl -q cluster_status --formatter json',
      clusterStatusJson({ disc: [R[0]!], ram: [R[1]!, R[2]!], running: R, version: '3.13.7' }),
    ],
    ['exec -T rabbit1 rabbitmqctl -q export_definitions - --format json', { stdout: exported }],
    // rollback of a green that never ran: no link network to remove, its containers removed
    [/^network inspect/, { exitCode: 1, stderr: 'No such network' }],
    [/^down --remove-orphans --volumes$/, { stdout: '' }],
  ]);
}
const run = (argv: string[], runner: ScriptedRunner) =>
  runAction('migrate', argv, { dir, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner) });

describe('migrate --dry-run', () => {
  test("shows green's files, what the definitions become and every phase; writes and starts nothing", async () => {
    const before = await snapshotTree(root);
    const runner = await blueRunning();
    const result = await run(['--to', TO, '--dry-run'], runner);
    const plan = (result.data as { plan: { id: string; files: Array<{ path: string; change: string }>; steps: string[] } }).plan;
    expect(result.headline).toMatch(new RegExp(`^seed: plan ${plan.id} for migrate, to ${TO} beside it \\(dry run: nothing changed\\)$`));
    expect(plan.files.map((f) => `${f.change} ${f.path}`)).toEqual(
      expect.arrayContaining(['created ../rmq-cluster.green.yaml', 'created ../seed-green/docker-compose.yml', 'created ../seed-green/rmq-compose.json']),
    );
    expect(plan.steps).toHaveLength(9);
    expect(plan.steps[0]).toMatch(
      /^generate green: .*rmq-cluster\.green\.yaml → .*seed-green \(\d+ file\(s\) below\), blue's \.env copied but for the Erlang cookie \(green gets its own\)$/,
    );
    expect(plan.steps[3]).toMatch(/^import blue's definitions into green \(RabbitMQ 4\.3\) from blue \(3\.10\.8\): \d+ queue\(s\) to quorum/);
    expect(plan.steps[4]).toMatch(/^start \d+ shovel\(s\) on green, one per queue of blue: /);
    expect(plan.steps[5]).toMatch(/^wait \(up to 60 s\) until every shovel runs; one that cannot stops the move here, with the load balancer unmoved$/);
    expect(result.text).toContain(`Apply exactly this plan: rmq-compose migrate --to ${TO} --plan ${plan.id}`);
    // the definitions report follows the plan: one line per queue
    expect(result.text).toMatch(/^definitions for green \(RabbitMQ 4\.3\)/m);
    // nothing written but the kept plan; no state, no green, nothing imported or started
    const after = await snapshotTree(root);
    expect(Object.keys(after).filter((p) => after[p] !== before[p])).toEqual(['seed/.rmq-compose/plan-migrate.json']);
    expect(runner.calls.filter((c) => !/^(compose version|ps |exec -T rabbit1 rabbitmqctl -q (cluster_status|export_definitions))/.test(c))).toEqual([]);
  });

  test("--plan <id> after blue's spec changed: refused before blue is asked anything", async () => {
    const first = await run(['--to', TO, '--dry-run'], await blueRunning());
    const { id } = (first.data as { plan: { id: string } }).plan;
    await writeFile(join(root, 'rmq-cluster.yaml'), `${await readFile(join(root, 'rmq-cluster.yaml'), 'utf8')}# edited\n`);
    const runner = await blueRunning();
    const error = await run(['--to', TO, '--plan', id], runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toContain(`from files that have changed since: ${join(root, 'rmq-cluster.yaml')}; nothing was changed`);
    expect(runner.calls).toEqual([]);
  });

  test('rollback and retire have no dry run', async () => {
    await expect(run(['rollback', '--dry-run'], await blueRunning())).rejects.toThrow(/migrate rollback takes no options \(and has no dry run/);
  });
});

describe("migrate holds green's lock and writes green's audit log", () => {
  async function greenLeft(): Promise<string> {
    // an earlier migrate generated green (not started yet): what rollback undoes
    const greenDir = join(root, 'seed-green');
    await mkdir(join(greenDir), { recursive: true });
    await writeFile(join(greenDir, 'rmq-compose.json'), JSON.stringify(fakeManifest('seed-green')));
    await writeFile(join(greenDir, '.env'), 'RABBITMQ_DEFAULT_PASS=pass-SECRET-1234\nRABBITMQ_ERLANG_COOKIE=COOKIESECRETCOOKIE\n');
    await mkdir(join(dir, '.rmq-compose'), { recursive: true });
    await writeFile(
      join(dir, '.rmq-compose', 'migration.json'),
      JSON.stringify({
        image: TO,
        startedAt: '2026-12-07T10:00:00.000Z',
        greenDir,
        greenSpec: join(root, 'rmq-cluster.green.yaml'),
        subnet: '172.31.9.0/24',
        portOffset: 1000,
        done: ['green-generated'],
        queues: [],
      }),
    );
    return greenDir;
  }
  const downGreen = /^down /;

  test('rollback: green removed under its lock, with its own intent and outcome lines', async () => {
    const greenDir = await greenLeft();
    const audit = new MemoryAudit();
    const lock = new MemoryLock();
    const runner = await blueRunning();
    const result = await runAction('migrate', ['rollback'], { dir, actor, audit, lock, tools: fakeTools(runner) });
    expect(result.headline).toMatch(/^seed: rolled back/);
    expect(audit.entries.map((e) => `${e.cluster} ${e.result}`)).toEqual(['seed started', 'seed-green started', 'seed ok', 'seed-green ok']);
    expect(await lock.holder({ dir: greenDir, manifest: fakeManifest('seed-green') })).toBeUndefined();
  });

  test('rollback while someone holds green: refused before green is touched', async () => {
    const greenDir = await greenLeft();
    const lock = new MemoryLock();
    await lock.acquire(
      { dir: greenDir, manifest: fakeManifest('seed-green') },
      { actor: { via: 'slack', id: 'U0ALICE' }, action: 'restart', args: [], since: new Date(0) },
    );
    const runner = await blueRunning();
    await expect(runAction('migrate', ['rollback'], { dir, actor, audit: new MemoryAudit(), lock, tools: fakeTools(runner) })).rejects.toThrow(/U0ALICE/);
    expect(runner.calls.filter((c) => downGreen.test(c) || c.startsWith('network'))).toEqual([]);
  });
});
