import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCluster } from '../../../../generator/index.js';
import type { ProgressStep } from '../../../../ops/action.js';
import { RefusedError } from '../../../../ops/errors.js';
import type { ClusterHandle } from '../../../../ops/index.js';
import { runAction } from '../../../../ops/run-action.js';
import { fingerprint } from '../../../../ops/plan/plan-inputs.js';
import { snapshotTree } from '../../../helpers/cli.js';
import { MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterStatusJson, COMPOSE_V2, fakeTools, PS, ScriptedRunner, TEAM_SPEC_40, THREE_UP, type Reply } from '../fake-runner.js';

/**
 * `upgrade` and `rotate-certs` make their plan as a value first: `--dry-run` shows it and changes
 * nothing, `--plan <id>` applies it only while what it was made from is unchanged. A real
 * cluster folder (made by the generator), the cluster itself scripted.
 */
const actor = { via: 'cli' as const, id: 'tester' };
const TO = 'rabbitmq:4.0.9-management';
const SPEC = TEAM_SPEC_40;
const TLS_SPEC = SPEC.replace('loadBalancer: { enabled: false }', 'loadBalancer: { enabled: false }\ntls: { clients: passthrough }');
const R = [1, 2, 3].map((n) => `rabbit@rabbit${n}`);
const FLAGS = 'exec -T rabbit1 rabbitmqctl -q list_feature_flags name state stability --formatter json';
const ALL_FLAGS_ON: Reply = { stdout: JSON.stringify([{ name: 'quorum_queue', state: 'enabled', stability: 'stable' }]) };

let root: string;
let dir: string;
let audit: MemoryAudit;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-plan-test-'));
  dir = join(root, 'seed');
  audit = new MemoryAudit();
});
afterEach(async () => rm(root, { recursive: true, force: true }));

async function generate(spec: string): Promise<void> {
  await writeFile(join(root, 'rmq-cluster.yaml'), spec);
  await generateCluster(
    { text: spec, name: 'rmq-cluster.yaml', dir: root },
    { outDir: root, env: {}, specFileFrom: () => '../rmq-cluster.yaml', now: new Date('2026-12-07T12:00:00Z') },
  );
}

function cluster(flags: Reply = ALL_FLAGS_ON): ScriptedRunner {
  return new ScriptedRunner([
    COMPOSE_V2,
    [PS, THREE_UP],
    ['exec -T rabbit1 rabbitmqctl -q cluster_status --formatter json', clusterStatusJson({ disc: R, running: R, version: '4.0.5' })],
    [FLAGS, flags],
    ['exec -T rabbit1 rabbitmqctl -q list_deprecated_features --used --formatter json', { stdout: '[]' }],
    // past the plan, the first change: the image is nowhere (the test stops there)
    [/^image inspect/, { exitCode: 1, stderr: 'No such image' }],
    [/^pull /, { exitCode: 1, stderr: 'no registry in unit tests' }],
  ]);
}

let lock: MemoryLock;
beforeEach(() => (lock = new MemoryLock()));
const run = (name: string, argv: string[], runner: ScriptedRunner, progress?: (s: ProgressStep) => void) =>
  runAction(name, argv, { dir, actor, audit, lock, tools: fakeTools(runner), ...(progress ? { progress } : {}) });
const changes = (runner: ScriptedRunner) => runner.calls.filter((c) => /^(up|pull|image|exec -T \S+ rabbitmq-upgrade|exec -T \S+ rabbitmqctl enable)/.test(c));
const withoutPlanFile = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([p]) => !p.includes('.rmq-compose/plan-')));
const planOf = (result: { data: unknown }) => (result.data as { plan: { id: string; files: Array<{ path: string; change: string }>; steps: string[] } }).plan;

describe('upgrade --dry-run', () => {
  test('shows the files with their diff and the steps in order, keeps the plan, and changes nothing', async () => {
    await generate(SPEC);
    const before = await snapshotTree(root);
    const runner = cluster();
    const result = await run('upgrade', ['--to', TO, '--dry-run'], runner);
    expect(result.ok).toBe(true);
    expect(result.headline).toMatch(/^seed: plan [0-9a-f]{12} for upgrade, 4\.0\.5 → 4\.0\.9 \(rabbitmq:4\.0\.9-management\) \(dry run: nothing changed\)$/);
    const plan = planOf(result);
    expect(plan.files.map((f) => `${f.change} ${f.path}`)).toEqual(expect.arrayContaining(['updated ../rmq-cluster.yaml', 'updated docker-compose.yml']));
    expect(plan.steps).toEqual([
      `${TO} on the Docker host (pulled or loaded where missing)`,
      `record ${TO} in the spec and write the ${plan.files.length} file(s) below`,
      `rabbit1: quorum gate, drain, new container on ${TO}, clustered again, revive`,
      `rabbit2: quorum gate, drain, new container on ${TO}, clustered again, revive`,
      `rabbit3: quorum gate, drain, new container on ${TO}, clustered again, revive`,
      'every node runs 4.0.9',
      'enable_feature_flag all (what the new version brings)',
      'rabbitmq-queues rebalance quorum',
    ]);
    expect(result.text).toContain(`Apply exactly this plan: rmq-compose upgrade --to ${TO} --plan ${plan.id}`);
    // the spec's diff (its comment kept), then the compose file's
    expect(result.text).toMatch(/^- {2}image: rabbitmq:4\.0-management {3}# pinned by the platform team$/m);
    expect(result.text).toMatch(/^\+ {2}image: rabbitmq:4\.0\.9-management {3}# pinned by the platform team$/m);
    expect(result.text).toMatch(/^\+ {4}image: "rabbitmq:4\.0\.9-management"$/m);
    // nothing changed: not a file (but the kept plan), not a container, no flag
    expect(withoutPlanFile(await snapshotTree(root))).toEqual(before);
    expect(changes(runner)).toEqual([]);
    expect(await readFile(join(dir, '.rmq-compose', 'plan-upgrade.json'), 'utf8')).toContain(`"id": "${plan.id}"`);
    // audited like any request, with its words
    expect(audit.entries.map((e) => `${e.result} ${e.args.join(' ')}`)).toEqual([`started --to ${TO} --dry-run`, `ok --to ${TO} --dry-run`]);
  });

  test('a dry run reads only: it runs while another action holds the cluster', async () => {
    await generate(SPEC);
    await lock.acquire({ dir } as ClusterHandle, { actor: { via: 'slack', id: 'U0OTHER' }, action: 'restart', args: ['rabbit2'], since: new Date(0) });
    expect((await run('upgrade', ['--to', TO, '--dry-run'], cluster())).ok).toBe(true);
    await expect(run('upgrade', ['--to', TO], cluster())).rejects.toThrow(/busy|held|restart/);
  });

  test('the same cluster and files make the same plan id', async () => {
    await generate(SPEC);
    const first = planOf(await run('upgrade', ['--to', TO, '--dry-run'], cluster()));
    const second = planOf(await run('upgrade', ['--to', TO, '--dry-run'], cluster()));
    expect(second.id).toBe(first.id);
  });
});

describe('upgrade --plan <id>', () => {
  test('the spec edited between the dry run and the apply: refused, naming the file, nothing changed', async () => {
    await generate(SPEC);
    const { id } = planOf(await run('upgrade', ['--to', TO, '--dry-run'], cluster()));
    await writeFile(join(root, 'rmq-cluster.yaml'), `${SPEC}# a colleague's note\n`);
    const before = await snapshotTree(root);
    const runner = cluster();
    const error = await run('upgrade', ['--to', TO, '--plan', id], runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toBe(
      `plan ${id} was made 1970-01-01T00:00:00.000Z from files that have changed since: ${join(root, 'rmq-cluster.yaml')}; nothing was changed; review a new plan with \`rmq-compose upgrade --to ${TO} --dry-run\``,
    );
    expect(await snapshotTree(root)).toEqual(before);
    expect(changes(runner)).toEqual([]);
  });

  test('the cluster changed (a stable feature flag now off): refused, saying which step is new', async () => {
    await generate(SPEC);
    const { id } = planOf(await run('upgrade', ['--to', TO, '--dry-run'], cluster()));
    const runner = cluster({ stdout: JSON.stringify([{ name: 'khepri_db', state: 'disabled', stability: 'stable' }]) });
    await expect(run('upgrade', ['--to', TO, '--plan', id], runner)).rejects.toThrow(
      new RegExp(
        `the cluster is no longer what plan ${id} was made for: steps now \\+ enable_feature_flag all \\(stable flags off: khepri_db\\); nothing was changed`,
      ),
    );
    expect(changes(runner)).toEqual([]);
  });

  test('an id no dry run kept, or another command: refused', async () => {
    await generate(SPEC);
    await expect(run('upgrade', ['--to', TO, '--plan', '0123456789ab'], cluster())).rejects.toThrow(/there is no plan 0123456789ab for upgrade on seed/);
    const { id } = planOf(await run('upgrade', ['--to', TO, '--dry-run'], cluster()));
    await expect(run('upgrade', ['--to', TO, '--plan', '0123456789ab'], cluster())).rejects.toThrow(
      new RegExp(`the plan a dry run kept for upgrade is ${id} \\(made .*\\), not 0123456789ab: a newer dry run replaced it`),
    );
    await expect(run('upgrade', ['--to', TO, '--version', '4.0.9', '--plan', id], cluster())).rejects.toThrow(
      new RegExp(`plan ${id} was made for \`upgrade --to ${TO}\`, not \`upgrade --to ${TO} --version 4\\.0\\.9\``),
    );
  });

  test('unchanged: the plan holds and the upgrade goes on to its first change', async () => {
    await generate(SPEC);
    const { id } = planOf(await run('upgrade', ['--to', TO, '--dry-run'], cluster()));
    const steps: ProgressStep[] = [];
    const runner = cluster();
    // the scripted engine has no image and no registry: the run stops at its first change
    await expect(run('upgrade', ['--to', TO, '--plan', id], runner, (s) => steps.push(s))).rejects.toThrow(/no registry in unit tests/);
    expect(steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual(['pre-check', 'plan']);
    expect(runner.calls.some((c) => c.startsWith('pull '))).toBe(true);
  });
});

describe('a resumed upgrade', () => {
  test('a file the first run wrote, changed since: refused before any node, naming it', async () => {
    await generate(SPEC);
    const spec = join(root, 'rmq-cluster.yaml');
    await writeFile(
      join(dir, '.rmq-compose', 'upgrade.json'),
      JSON.stringify({
        image: TO,
        from: '4.0.5',
        startedAt: '2026-12-07T10:00:00.000Z',
        filesWritten: true,
        done: ['rabbit1'],
        written: await fingerprint([spec]),
      }),
    );
    await writeFile(spec, SPEC.replace('formation: auto', 'formation: auto\n  # edited mid-upgrade'));
    const runner = cluster();
    await expect(run('upgrade', ['--to', TO], runner)).rejects.toThrow(
      `${spec} changed since this upgrade wrote it (started 2026-12-07T10:00:00.000Z; done: rabbit1); the nodes still to upgrade would start from the changed files`,
    );
    expect(runner.calls).toEqual([]);
  });
});

describe('rotate-certs --dry-run', () => {
  test('names the certificate files without showing them, and the apply holds to the plan', async () => {
    await generate(TLS_SPEC);
    const before = await snapshotTree(root);
    const runner = cluster();
    const result = await run('rotate-certs', ['--node', 'rabbit2', '--dry-run'], runner);
    const plan = planOf(result);
    expect(plan.files.map((f) => f.path)).toEqual(expect.arrayContaining(['tls/rabbit2.pem', 'tls/rabbit2.key']));
    expect(plan.files.map((f) => f.path)).not.toContain('tls/rabbit1.pem');
    expect(plan.steps).toEqual([
      expect.stringMatching(/^issue new certificates \(rabbit2\) with the cluster CA: write the \d+ file\(s\) below$/),
      'rabbit2: quorum gate, drain, new container with its new certificate, clustered again, revive',
    ]);
    expect(result.text).not.toMatch(/BEGIN|PRIVATE KEY/);
    expect(withoutPlanFile(await snapshotTree(root))).toEqual(before);
    expect(changes(runner)).toEqual([]);

    // a key replaced by hand since: the apply refuses
    await writeFile(join(dir, 'tls', 'rabbit2.key'), 'not the key the plan was made from\n', { mode: 0o600 });
    await expect(run('rotate-certs', ['--node', 'rabbit2', '--plan', plan.id], cluster())).rejects.toThrow(
      new RegExp(`plan ${plan.id} was made .* from files that have changed since: ${join(dir, 'tls', 'rabbit2.key')}`),
    );
  });
});

describe('rotate-certs --plan <id>', () => {
  test('unchanged: the same plan although new keys are made again (they are never kept in a plan), then the files are written', async () => {
    await generate(TLS_SPEC);
    const key = join(dir, 'tls', 'rabbit2.key');
    const before = await readFile(key, 'utf8');
    const { id } = planOf(await run('rotate-certs', ['--node', 'rabbit2', '--dry-run'], cluster()));
    const steps: ProgressStep[] = [];
    // the scripted engine answers no quorum gate: the roll stops there, after the files
    await run('rotate-certs', ['--node', 'rabbit2', '--plan', id], cluster(), (s) => steps.push(s)).catch(() => undefined);
    expect(steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual(['pre-check', 'plan', 'files']);
    expect(await readFile(key, 'utf8')).not.toBe(before);
  });
});
