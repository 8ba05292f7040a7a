import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadCluster } from '../../../ops/load-cluster.js';
import { FileClusterLock } from '../../../ops/lock.js';
import { CLI } from '../../helpers/cli.js';
import { execa } from 'execa';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageText } from '../../support/fake-slack-api.js';
import { statusThroughBot } from '../harness/bot-status.js';
import type { StatusData } from '../../../ops/status/status-view.js';
import type { PartitionsData } from '../../../ops/actions/partitions.js';
import { clusterStatus, reportFigures, waitClustered, waitFor } from '../harness/cluster-probes.js';
import { fillQueue } from '../harness/fill-queue.js';
import { HA_ALL, SEED_NODES, scenarioSpec } from '../harness/scenario-spec.js';
import { useE2eHarness } from '../harness/setup.js';
import { capture, ctl, openOpsCluster, type OpsCluster } from './ops-cluster.js';

/**
 * Issue 4 against a real RabbitMQ 3.10 cluster shaped like the seed (rabbit1 disc, rabbit2/3 ram,
 * manual formation, ha-all, one AMQP listener behind two nginx+keepalived instances): deploy from
 * nothing, then every action the ops core has, through runAction, the CLI binary and the Slack bot.
 * One cluster for the whole file; the tests run in order and leave it healthy for the next.
 */
const harness = useE2eHarness();
const SUBNET = 200;
const LB_PORT = 30670;
const figures: Record<string, number> = {};
let c: OpsCluster;
const started = Date.now();

const ERL = (n: string) => `rabbit@${n}`;

describe('ops core on a real RabbitMQ 3.10 cluster (seed shape)', () => {
  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: 'e2e-ops3',
      image: h.images.v3.ref,
      version: '3.10.8',
      nodes: SEED_NODES,
      formation: 'manual',
      listeners: [{ protocol: 'amqp', port: LB_PORT }],
      keepalived: { virtualRouterId: 200 },
      policies: [HA_ALL],
      subnet: SUBNET,
      portBase: 30000,
    });
    c = await openOpsCluster(h, 'ops3', spec);
  }, 300_000);

  afterAll(async () => {
    await c?.close();
    figures.fileMs = Date.now() - started;
    reportFigures('ops-3x', figures);
  }, 300_000);

  it('deploys from nothing: up, healthy, manual join, ha-all, with progress steps', async () => {
    const t0 = Date.now();
    const r = await c.run('deploy');
    figures.deployMs = Date.now() - t0;
    expect(r.ok).toBe(true);
    const done = r.steps.filter((s) => s.state === 'done').map((s) => s.id);
    expect(done).toEqual(expect.arrayContaining(['healthy', 'join-rabbit2', 'join-rabbit3', 'clustered', 'policy-ha-all']));
    expect(done.some((id) => id.startsWith('up-'))).toBe(true);
    expect(r.steps.some((s) => s.state === 'failed')).toBe(false);
    const status = await clusterStatus(c.cluster, 'rabbit1');
    expect(status?.disk_nodes).toEqual([ERL('rabbit1')]);
    expect([...(status?.ram_nodes ?? [])].sort()).toEqual([ERL('rabbit2'), ERL('rabbit3')]);
    expect([...(status?.running_nodes ?? [])].sort()).toEqual([ERL('rabbit1'), ERL('rabbit2'), ERL('rabbit3')]);
    const policies = JSON.parse(await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_policies', '--formatter', 'json'])) as Array<{
      name: string;
      definition: unknown;
    }>;
    expect(policies.map((p) => p.name)).toEqual(['ha-all']);
  }, 900_000);

  it('deploys again without resetting any member', async () => {
    const r = await c.run('deploy');
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({ joined: [], alreadyClustered: ['rabbit2', 'rabbit3'] });
  }, 600_000);

  it('refuses an in-place upgrade to 4.x (RabbitMQ has no such path), naming migrate, with nothing changed', async () => {
    const manifest = await readFile(join(c.dir, 'rmq-compose.json'), 'utf8');
    await expect(c.run('upgrade', ['--to', 'rabbitmq:4.3-management'])).rejects.toThrow(/not upgrading 3\.10\.8 → 4\.3: no rolling upgrade[\s\S]*`migrate`/);
    expect(await readFile(join(c.dir, 'rmq-compose.json'), 'utf8')).toBe(manifest);
  }, 120_000);

  it('captures real outputs for the parser fixtures', async () => {
    await fillQueue(c.cluster, 'fixture-q', 3, { quorum: false });
    await capture('cluster_status-3.10.8.json', await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'cluster_status', '--formatter', 'json']));
    await capture('list_policies-3.10.8.json', await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_policies', '-p', '/', '--formatter', 'json']));
    await capture(
      'list_queues-3.10.8.json',
      await ctl(c.cluster, 'rabbit1', [
        'rabbitmqctl',
        '-q',
        'list_queues',
        '-p',
        '/',
        'name',
        'type',
        'policy',
        'slave_pids',
        'synchronised_slave_pids',
        '--formatter',
        'json',
      ]),
    );
    await capture(
      'list_queues-3.10.8.txt',
      await ctl(c.cluster, 'rabbit1', [
        'rabbitmqctl',
        '-q',
        'list_queues',
        '-p',
        '/',
        '--no-table-headers',
        'name',
        'type',
        'policy',
        'slave_pids',
        'synchronised_slave_pids',
      ]),
    );
    await capture(
      'list_queues-members-3.10.8.json',
      (await c.cluster.exec('rabbit1', ['rabbitmqctl', '-q', 'list_queues', '-p', '/', 'name', 'pid', 'members', 'online', 'leader', '--formatter', 'json']))
        .stdout,
    );
    await capture(
      'list_queues-mirror_pids-3.10.8.json',
      (await c.cluster.exec('rabbit1', ['rabbitmqctl', '-q', 'list_queues', '-p', '/', 'name', 'mirror_pids', '--formatter', 'json'])).stdout,
    );
    const ip = await c.cluster.exec('lb1-keepalived', ['ip', '-o', 'addr'], 20_000);
    await capture('ip-o-addr-lb1.txt', ip.stdout);
    const api = async (path: string) => {
      const port = c.cluster.model.nodes[0]!.ports.management;
      const { user, pass } = c.cluster.admin;
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` } });
      return res.text();
    };
    await capture('api-nodes-3.10.8.json', await api('/api/nodes'));
    await capture(
      'api-nodes-columns-3.10.8.json',
      await api('/api/nodes?columns=name,type,running,mem_alarm,disk_free_alarm,partitions,being_drained,applications'),
    );
    await capture('api-queues-3.10.8.json', await api('/api/queues/%2F?columns=name,type,policy,slave_nodes,synchronised_slave_nodes,members,online'));
    await c.cluster.exec('rabbit1', ['rabbitmqctl', 'delete_queue', 'fixture-q'], 60_000);
  }, 300_000);

  describe('status of a healthy cluster', () => {
    function expectHealthy(d: StatusData): void {
      expect(d.nodes.map((n) => [n.name, n.running, n.type])).toEqual([
        ['rabbit1', true, 'disc'],
        ['rabbit2', true, 'ram'],
        ['rabbit3', true, 'ram'],
      ]);
      expect(d.version).toBe('3.10.8');
      for (const n of d.nodes) {
        expect(n.alarms).toEqual([]);
        expect(n.clustered).toBe(true);
        expect(n.version).toBe('3.10.8');
      }
      expect(d.partitions).toEqual([]);
      expect(d.healthy).toBe(true);
      const lb = d.loadBalancer!;
      expect(lb.listeners.length).toBe(3); // lb1, lb2, VIP
      for (const l of lb.listeners) expect(l).toMatchObject({ port: LB_PORT, reachable: true });
      expect(['lb1', 'lb2']).toContain(lb.vipHolder);
    }

    it('through the management API', async () => {
      // keepalived may still be electing right after deploy
      const r = await waitFor(
        'status with a VIP holder',
        60_000,
        async () => {
          const x = await c.run('status');
          return (x.data as StatusData).loadBalancer?.vipHolder ? x : undefined;
        },
        2_000,
      );
      expect(r.ok).toBe(true);
      const d = r.data as StatusData;
      expect(d.source).toMatch(/^management API/);
      expectHealthy(d);
    }, 120_000);

    it('through rabbitmqctl when the API does not answer', async () => {
      const r = await c.run('status', [], {
        http: async () => {
          throw new Error('ECONNREFUSED');
        },
      });
      const d = r.data as StatusData;
      expect(d.source).toMatch(/^rabbitmqctl on rabbit1/);
      expectHealthy(d);
    }, 120_000);
  });

  describe('mirror-policy (3.x)', () => {
    it('sets, lists and clears an ha-* policy', async () => {
      const set = await c.run('mirror-policy', ['set', 'ha-two', '^two\\.', 'exactly', '2', '--sync', 'automatic']);
      expect(set.ok).toBe(true);
      const raw = JSON.parse(await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_policies', '--formatter', 'json'])) as Array<{
        name: string;
        pattern: string;
        definition: unknown;
        'apply-to': string;
      }>;
      const two = raw.find((p) => p.name === 'ha-two')!;
      expect(two.pattern).toBe('^two\\.');
      expect(two['apply-to']).toBe('queues');
      expect(typeof two.definition === 'string' ? JSON.parse(two.definition) : two.definition).toEqual({
        'ha-mode': 'exactly',
        'ha-params': 2,
        'ha-sync-mode': 'automatic',
      });

      const list = await c.run('mirror-policy', ['list']);
      const names = (list.data as { policies: Array<{ name: string; definition: Record<string, unknown> }> }).policies.map((p) => p.name).sort();
      expect(names).toEqual(['ha-all', 'ha-two']);
      expect(list.text).toContain('ha-two ^two\\.');

      const clear = await c.run('mirror-policy', ['clear', 'ha-two']);
      expect(clear.ok).toBe(true);
      const after = JSON.parse(await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_policies', '--formatter', 'json'])) as Array<{ name: string }>;
      expect(after.map((p) => p.name)).toEqual(['ha-all']);
    }, 180_000);

    it('lists without taking the cluster lock (read-only)', async () => {
      // someone (a live process: this one) holds the cluster
      const held = await new FileClusterLock().acquire(await loadCluster(c.dir), {
        actor: { via: 'cli', id: 'someone' },
        action: 'deploy',
        args: [],
        since: new Date(),
      });
      if (!('lease' in held)) throw new Error('the test could not take the lock');
      try {
        const list = await c.run('mirror-policy', ['list']);
        expect(list.ok).toBe(true);
        await expect(c.run('mirror-policy', ['clear', 'ha-all'])).rejects.toThrow(/busy/);
      } finally {
        await held.lease.release();
      }
    }, 120_000);
  });

  describe('queues', () => {
    it('reports a mirrored queue and syncs it', async () => {
      await fillQueue(c.cluster, 'orders', 200, { quorum: false });
      const r = await c.run('status', [], {
        http: async () => {
          throw new Error('off');
        },
      });
      const d = r.data as StatusData;
      expect(d.queues).toMatchObject({ kind: 'classic mirrored', total: 1, unhealthy: [] });
      const api = (await c.run('status')).data as StatusData;
      expect(api.queues).toMatchObject({ total: 1, unhealthy: [] });
      const sync = await c.run('sync', ['orders']);
      expect(sync.ok).toBe(true);
      expect(sync.headline).toContain('orders');
    }, 180_000);

    it('refuses to sync a queue that does not exist, saying so', async () => {
      await expect(c.run('sync', ['no-such-queue'])).rejects.toThrow(/no-such-queue/);
    }, 120_000);
  });

  describe('maintenance, restart, logs, partitions', () => {
    it('drains rabbit2 (maintenance visible in status) and revives it', async () => {
      const drain = await c.run('drain', ['rabbit2']);
      expect(drain.ok).toBe(true);
      expect(drain.data).toMatchObject({ node: 'rabbit2', maintenance: true });
      await capture('cluster_status-3.10.8-drained.json', await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'cluster_status', '--formatter', 'json']));
      for (const tools of [
        {},
        {
          http: async () => {
            throw new Error('off');
          },
        },
      ]) {
        const d = (await c.run('status', [], tools)).data as StatusData;
        expect(d.nodes.find((n) => n.name === 'rabbit2')).toMatchObject({ running: true, maintenance: true });
        expect(d.nodes.find((n) => n.name === 'rabbit1')?.maintenance ?? false).toBe(false);
      }
      const revive = await c.run('revive', ['rabbit2']);
      expect(revive.data).toMatchObject({ node: 'rabbit2', maintenance: false });
      const d = (await c.run('status')).data as StatusData;
      expect(d.nodes.find((n) => n.name === 'rabbit2')?.maintenance ?? false).toBe(false);
    }, 300_000);

    it('restarts rabbit2 and waits until it is clustered again', async () => {
      const t0 = Date.now();
      const r = await c.run('restart', ['rabbit2']);
      figures.restartMs = Date.now() - t0;
      expect(r.ok).toBe(true);
      expect(r.steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual(['quorum-gate', 'restart', 'clustered']);
      const st = await clusterStatus(c.cluster, 'rabbit1');
      expect(st?.running_nodes).toContain(ERL('rabbit2'));
      expect(st?.ram_nodes).toContain(ERL('rabbit2'));
    }, 300_000);

    it('shows the last N log lines', async () => {
      const r = await c.run('logs', ['rabbit1', '--tail', '5']);
      const data = r.data as { lines: number; log: string };
      expect(data.lines).toBeGreaterThan(0);
      expect(data.lines).toBeLessThanOrEqual(5);
      expect(data.log).not.toContain(c.cluster.admin.pass);
    }, 60_000);

    it('finds no partition in a healthy cluster', async () => {
      const r = await c.run('partitions');
      expect(r.ok).toBe(true);
      const d = r.data as PartitionsData;
      expect(d).toMatchObject({ partitioned: false, restart: [], unanswered: [] });
      expect(d.keep.sort()).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
    }, 120_000);
  });

  describe('a killed node', () => {
    it('is reported down while the others are up, and comes back', async () => {
      await c.cluster.composeChecked(['kill', 'rabbit3']);
      await capture(
        'cluster_status-3.10.8-rabbit3-killed.json',
        await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'cluster_status', '--formatter', 'json']),
      );
      for (const tools of [
        {},
        {
          http: async () => {
            throw new Error('off');
          },
        },
      ]) {
        const r = await c.run('status', [], tools);
        expect(r.ok).toBe(true);
        const d = r.data as StatusData;
        expect(d.nodes.map((n) => [n.name, n.running])).toEqual([
          ['rabbit1', true],
          ['rabbit2', true],
          ['rabbit3', false],
        ]);
        expect(d.nodes[2]!.container).not.toBe('running');
        expect(d.healthy).toBe(false);
        expect(r.headline).toContain('2/3 nodes running');
      }
      await c.cluster.composeChecked(['start', 'rabbit3']);
      await waitClustered(c.cluster, 'rabbit1', ['rabbit1', 'rabbit2', 'rabbit3']);
    }, 400_000);
  });

  describe('join', () => {
    it('rejoins a node reset by hand, as RAM', async () => {
      await ctl(c.cluster, 'rabbit3', ['rabbitmqctl', 'stop_app'], 120_000);
      await ctl(c.cluster, 'rabbit3', ['rabbitmqctl', 'reset'], 120_000);
      const down = (await c.run('status')).data as StatusData;
      expect(down.nodes.find((n) => n.name === 'rabbit3')).toMatchObject({ running: false, container: 'running' });
      const r = await c.run('join', ['rabbit3', '--ram']);
      expect(r.ok).toBe(true);
      expect(r.data).toMatchObject({ node: 'rabbit3', to: ERL('rabbit1'), type: 'ram' });
      const st = await clusterStatus(c.cluster, 'rabbit1');
      expect(st?.ram_nodes).toContain(ERL('rabbit3'));
      expect([...(st?.running_nodes ?? [])].sort()).toEqual([ERL('rabbit1'), ERL('rabbit2'), ERL('rabbit3')]);
    }, 400_000);

    it('refuses to reset the last disc node', async () => {
      await expect(c.run('join', ['rabbit1', '--ram', '--to', 'rabbit2'])).rejects.toThrow(/only disc node/);
      await expect(c.run('join', ['rabbit1', '--to', 'rabbit2'])).rejects.toThrow(/last running disc node/);
      const st = await clusterStatus(c.cluster, 'rabbit1');
      expect(st?.disk_nodes).toEqual([ERL('rabbit1')]);
      expect(st?.running_nodes).toHaveLength(3);
    }, 120_000);
  });

  describe('injection through the CLI binary', () => {
    it.each([['rabbit1;rm -rf /'], ['$(id)'], ['rabbit9'], ['`touch /tmp/pwned`']])(
      'rejects join %s before any process starts (exit 2)',
      async (arg) => {
        const bin = await mkdtemp(join(tmpdir(), 'rmq-fake-docker-'));
        const marker = join(bin, 'docker-was-run');
        try {
          // a docker that leaves a mark: nothing may call it for a rejected argument
          for (const name of ['docker', 'docker-compose']) {
            await writeFile(join(bin, name), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
            await chmod(join(bin, name), 0o755);
          }
          const cli = CLI;
          const r = await execa('node', [cli, 'join', arg, '-d', c.dir, '--yes'], {
            reject: false,
            env: { PATH: `${bin}:${process.env.PATH}` },
            timeout: 30_000,
          });
          expect(r.exitCode).toBe(2);
          expect(r.stderr).toMatch(/unknown node/);
          await expect(readFile(marker)).rejects.toThrow();
          const audit = (await readFile(join(c.dir, 'audit.log'), 'utf8')).trim().split('\n');
          expect(JSON.parse(audit.at(-1)!)).toMatchObject({ action: 'join', args: [arg], result: 'rejected' });
        } finally {
          await rm(bin, { recursive: true, force: true });
        }
      },
      60_000,
    );

    it('status --json through the binary reports all three nodes', async () => {
      const r = await execa('node', [CLI, 'status', '-d', c.dir, '--json'], { reject: false, timeout: 60_000 });
      expect(r.exitCode).toBe(0);
      const d = JSON.parse(r.stdout) as StatusData;
      expect(d.nodes.map((n) => [n.name, n.running, n.type])).toEqual([
        ['rabbit1', true, 'disc'],
        ['rabbit2', true, 'ram'],
        ['rabbit3', true, 'ram'],
      ]);
      expect(r.stdout).not.toContain(c.cluster.admin.pass);
    }, 60_000);

    it('left the cluster as it was', async () => {
      const st = await clusterStatus(c.cluster, 'rabbit1');
      expect([...(st?.running_nodes ?? [])].sort()).toEqual([ERL('rabbit1'), ERL('rabbit2'), ERL('rabbit3')]);
    }, 60_000);
  });

  describe('status through the Slack bot', () => {
    it('posts a node table with up marks for a signed /rmq status', async () => {
      const reply = await statusThroughBot('ops3', c.dir);
      expect(reply.ackStatus).toBe(200);
      figures.botStatusMs = reply.ms;
      const blocks = reply.final.params.blocks as Array<{ text?: { text: string } }>;
      const table = blocks.find((b) => b.text?.text.startsWith('*Nodes*'))?.text?.text ?? '';
      expect(table).toContain('*Nodes* 3/3 up');
      expect(table).toContain(':large_green_circle: `rabbit1`  up · disc · 3.10.8');
      expect(table).toContain(':large_green_circle: `rabbit2`  up · ram · 3.10.8');
      expect(table).toContain(':large_green_circle: `rabbit3`  up · ram · 3.10.8');
      const text = messageText(reply.final);
      expect(text).not.toContain(c.cluster.admin.pass);
      expect(text).toMatch(/VIP held by `lb[12]`/);
      // the cluster's own audit log, the one the terminal writes too
      const audit = (await readFile(join(c.dir, 'audit.log'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; result: string; actor: { via: string } });
      expect(audit.at(-1)).toMatchObject({ action: 'status', result: 'ok', actor: { via: 'slack' } });
    }, 120_000);
  });

  describe('forget (last: the cluster is not repaired after it)', () => {
    it('refuses a running node and the only disc node, then forgets a stopped ram node', async () => {
      await expect(c.run('forget', ['rabbit3'])).rejects.toThrow(/is running; stop it first/);
      await c.cluster.composeChecked(['stop', '-t', '20', 'rabbit3']);
      const r = await c.run('forget', ['rabbit3']);
      expect(r.ok).toBe(true);
      expect(r.data).toMatchObject({ forgotten: 'rabbit@rabbit3', via: 'rabbit1' });
      const st = await clusterStatus(c.cluster, 'rabbit1');
      expect([...(st?.disk_nodes ?? []), ...(st?.ram_nodes ?? [])].sort()).toEqual([ERL('rabbit1'), ERL('rabbit2')]);
      await expect(c.run('forget', ['rabbit3'])).rejects.toThrow(/not a member/);
      await c.cluster.composeChecked(['stop', '-t', '20', 'rabbit1']);
      await expect(c.run('forget', ['rabbit1'])).rejects.toThrow(/no other node|only disc node/);
    }, 300_000);
  });
});
