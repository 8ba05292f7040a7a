import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { InvalidArgumentError } from '../../../../ops/errors.js';
import { runAction } from '../../../../ops/run-action.js';
import { clusterStatusJson, COMPOSE_V2, fakeTools, PS, psJson, ScriptedRunner } from '../fake-runner.js';

/** `migrate`'s parser and the refusals that come before green exists. */
const actor = { via: 'cli' as const, id: 'tester' };
const SPEC = `name: seed
rabbitmq: { image: "rabbitmq:3.13-management", formation: auto }
nodes: 3
loadBalancer: { listeners: [{ protocol: amqp, port: 5670 }] }
network: { subnet: 172.30.50.0/24 }
`;
const R = [1, 2, 3].map((n) => `rabbit@rabbit${n}`);
const ALL_UP = psJson([
  ['rabbit1', 'running', 'healthy'],
  ['rabbit2', 'running', 'healthy'],
  ['rabbit3', 'running', 'healthy'],
]);
const up = () =>
  new ScriptedRunner([
    COMPOSE_V2,
    [PS, ALL_UP],
    ['exec -T rabbit1 rabbitmqctl -q cluster_status --formatter json', clusterStatusJson({ disc: R, running: R, version: '3.13.7' })],
  ]);

let root: string;
let dir: string;
const manifest = () => {
  const m = { ...fakeManifest('seed'), spec: '../rmq-cluster.yaml' };
  m.nodes = m.nodes.map((n, i) => ({ ...n, type: 'disc' as const, address: `172.30.50.${10 + i}` }));
  m.loadBalancer = { listeners: [{ protocol: 'amqp' as const, port: 5670 }], instances: [{ name: 'lb', host: 'local', nginxService: 'lb' }] };
  return m;
};
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rmq-migrate-test-'));
  dir = join(root, 'seed');
  await mkdir(dir);
  await writeFile(join(root, 'rmq-cluster.yaml'), SPEC);
  await writeFile(join(dir, 'rmq-compose.json'), JSON.stringify(manifest()));
  await writeFile(join(dir, '.env'), 'RABBITMQ_DEFAULT_PASS=pass-SECRET-1234\nRABBITMQ_ERLANG_COOKIE=COOKIESECRETCOOKIE\n');
});
afterEach(async () => rm(root, { recursive: true, force: true }));
const migrate = (argv: string[], runner = up()) =>
  runAction('migrate', argv, { dir, actor, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner) });

describe('migrate: arguments', () => {
  test.each([
    [['--to', 'rabbitmq:4.3', 'now'], /unknown migrate step "now"/],
    [['rollback', '--to', 'rabbitmq:4.3'], /migrate rollback takes no options/],
    [['--to', 'Rabbit MQ'], /not a Docker image reference/],
    [['--to', 'rabbitmq:4.3', '--subnet', '10.0.0.0/16'], /--subnet must be a \/24 network/],
    [['--to', 'rabbitmq:4.3', '--port-offset', '0'], /--port-offset must be from 1 to 30000/],
    [['--to', 'rabbitmq:4.3', '--version', 'four'], /--version must look like 4\.3/],
  ])('%j is refused before anything runs', async (argv, message) => {
    const runner = up();
    const error = await migrate(argv, runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect(runner.calls).toEqual([]);
  });
});

describe('migrate: refusals before green exists', () => {
  const nothingWritten = async () => expect((await readdir(root)).sort()).toEqual(['rmq-cluster.yaml', 'seed']);

  test('no image and no migration in progress', async () => {
    await expect(migrate([])).rejects.toThrow(/say which image green runs/);
  });

  test('rollback or retire with no migration in progress', async () => {
    await expect(migrate(['rollback'])).rejects.toThrow(/no migration of seed is in progress \(nothing to rollback\)/);
    await expect(migrate(['retire'])).rejects.toThrow(/nothing to retire/);
  });

  test('a 3.x target: that is what upgrade is for', async () => {
    await expect(migrate(['--to', 'rabbitmq:3.13.7-management'])).rejects.toThrow(
      /green would run 3\.13\.7: migrate moves to quorum queues on 4\.x; within 3\.x use `upgrade`/,
    );
    await nothingWritten();
  });

  test('a cluster without a load balancer, or on several machines', async () => {
    const m = manifest();
    delete (m as Partial<typeof m>).loadBalancer;
    await writeFile(join(dir, 'rmq-compose.json'), JSON.stringify(m));
    await expect(migrate(['--to', 'rabbitmq:4.3-management'])).rejects.toThrow(/has no load balancer: migrate moves clients by handing the load balancer over/);
    const multi = {
      ...manifest(),
      hosts: [...manifest().hosts, { name: 'mq2', docker: 'ssh://root@10.0.0.2', composeFile: 'hosts/mq2/docker-compose.yml', services: [] }],
    };
    await writeFile(join(dir, 'rmq-compose.json'), JSON.stringify(multi));
    await expect(migrate(['--to', 'rabbitmq:4.3-management'])).rejects.toThrow(/runs on 2 machines/);
    await nothingWritten();
  });

  test('a node down in blue', async () => {
    const runner = new ScriptedRunner([
      COMPOSE_V2,
      [
        PS,
        psJson([
          ['rabbit1', 'running', 'healthy'],
          ['rabbit2', 'exited'],
          ['rabbit3', 'running', 'healthy'],
        ]),
      ],
      ['exec -T rabbit1 rabbitmqctl -q cluster_status --formatter json', clusterStatusJson({ disc: R, running: [R[0]!, R[2]!] })],
    ]);
    await expect(migrate(['--to', 'rabbitmq:4.3-management'], runner)).rejects.toThrow(
      /not migrating: rabbit2 is not running in the cluster; every node of blue must run/,
    );
  });
});
