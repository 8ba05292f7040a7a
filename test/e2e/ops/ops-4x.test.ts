import { clockFrom, DAY_4_3_SUPPORTED } from '../../helpers/clock.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RefusedError } from '../../../ops/errors.js';
import type { StatusData } from '../../../ops/status/status-view.js';
import { clusterStatus, reportFigures } from '../harness/cluster-probes.js';
import { fillQueue } from '../harness/fill-queue.js';
import { scenarioSpec } from '../harness/scenario-spec.js';
import { useE2eHarness } from '../harness/setup.js';
import { capture, ctl, openOpsCluster, type OpsCluster } from './ops-cluster.js';

/**
 * Issue 4 on RabbitMQ 4.0 and 4.3 (issue 10): a 3-node auto-formation cluster deployed by the ops core, status with a
 * quorum queue (members/online, from the API and from rabbitmqctl), and the refusals of what 4.0
 * removed (classic mirroring: mirror-policy, sync).
 */
const harness = useE2eHarness();
const NODES = ['rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3'];
const CTL_ONLY = {
  http: async () => {
    throw new Error('ECONNREFUSED');
  },
};
let c: OpsCluster;

// 4.0 (trixie) and the current line 4.3 (sid: Khepri only, no Mnesia)
const LINES = [
  { line: '4.0', image: 'v4', version: '4.0.5', subnet: 201, portBase: 31000 },
  { line: '4.3', image: 'v43', version: '4.3.6', subnet: 205, portBase: 35000 },
] as const;

describe.each(LINES)('ops core on a real RabbitMQ $line cluster (auto formation)', ({ line, image, version: VERSION, subnet, portBase }) => {
  const figures: Record<string, number> = {};
  const started = Date.now();
  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: `e2e-ops${line.replace('.', '')}`,
      image: h.images[image].ref,
      version: VERSION,
      nodes: 3,
      formation: 'auto',
      subnet,
      portBase,
    });
    c = await openOpsCluster(h, `ops${line.replace('.', '')}`, spec);
  }, 300_000);

  afterAll(async () => {
    await c?.close();
    figures.fileMs = Date.now() - started;
    reportFigures(`ops-${line}`, figures);
  }, 300_000);

  it('deploys from nothing and the nodes form one cluster by peer discovery', async () => {
    const t0 = Date.now();
    const r = await c.run('deploy');
    figures.deployMs = Date.now() - t0;
    expect(r.ok).toBe(true);
    expect(r.steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual(expect.arrayContaining(['healthy', 'clustered']));
    const st = await clusterStatus(c.cluster, 'rabbit1');
    expect([...(st?.running_nodes ?? [])].sort()).toEqual(NODES);
    expect([...(st?.disk_nodes ?? [])].sort()).toEqual(NODES);
  }, 900_000);

  it('reports a quorum queue with all members online, from the API and from rabbitmqctl', async () => {
    await fillQueue(c.cluster, 'jobs', 50, { quorum: true });
    await capture(`cluster_status-${VERSION}.json`, await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'cluster_status', '--formatter', 'json']));
    await capture(
      `list_queues-${VERSION}.json`,
      await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_queues', '-p', '/', 'name', 'type', 'policy', 'members', 'online', '--formatter', 'json']),
    );
    await capture(`api-nodes-${VERSION}.json`, await apiGet('/api/nodes?columns=name,type,running,mem_alarm,disk_free_alarm,partitions,being_drained'));
    await capture(`list_policies-${VERSION}.json`, await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_policies', '-p', '/', '--formatter', 'json']));
    for (const tools of [{}, CTL_ONLY]) {
      const r = await c.run('status', [], tools);
      const d = r.data as StatusData;
      expect(d.source).toMatch(tools === CTL_ONLY ? /^rabbitmqctl/ : /^management API/);
      expect(d.version).toBe(VERSION);
      expect(d.nodes.map((n) => [n.name, n.running, n.type, n.version])).toEqual([
        ['rabbit1', true, 'disc', VERSION],
        ['rabbit2', true, 'disc', VERSION],
        ['rabbit3', true, 'disc', VERSION],
      ]);
      expect(d.queues).toEqual({
        kind: 'quorum',
        total: 1,
        states: { 'no-majority': 0, lagging: 0, 'in-sync': 1, unreplicated: 0 },
        unhealthy: [],
        leaders: expect.any(Object),
      });
      // the one queue's leader, counted on exactly one of the running nodes
      expect(Object.keys(d.queues!.leaders!).sort()).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
      expect(Object.values(d.queues!.leaders!).reduce((a, b) => a + b, 0)).toBe(1);
      expect(d.healthy).toBe(true);
      expect(d.loadBalancer).toBeUndefined();
    }
    // check on a day 4.3 is in community support: healthy on 4.3; 4.0 is past it (degraded, upgrade said)
    const chk = await c.run('check', [], { now: clockFrom(DAY_4_3_SUPPORTED) });
    const findings = (chk.data as { findings: Array<{ check: string; action: string }> }).findings;
    if (line === '4.3') {
      expect(findings).toEqual([]);
      expect(chk.exitCode).toBe(0);
      // the day 4.3's community support ended: degraded, the upgrade to 4.4 said
      const ended = await c.run('check', [], { now: clockFrom('2026-11-30T12:00:00Z') });
      const late = (ended.data as { findings: Array<{ check: string; action: string }> }).findings;
      expect(late.map((f) => [f.check, f.action])).toEqual([['support', '`rmq-compose upgrade --to rabbitmq:4.4-management` (one line at a time)']]);
      expect(ended.exitCode).toBe(1);
    } else {
      expect(findings.map((f) => f.check)).toEqual(['support']);
      expect(findings[0]!.action).toMatch(/rmq-compose upgrade --to rabbitmq:4\.\d-management/);
      expect(chk.exitCode).toBe(1);
    }
  }, 300_000);

  it('reports an offline quorum member when a node is stopped', async () => {
    await c.cluster.composeChecked(['stop', '-t', '20', 'rabbit3']);
    try {
      await capture(
        `list_queues-${VERSION}-member-down.json`,
        await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_queues', '-p', '/', 'name', 'type', 'policy', 'members', 'online', '--formatter', 'json']),
      );
      await capture(
        `api-queues-${VERSION}-member-down.json`,
        await apiGet('/api/queues/%2F?columns=name,type,policy,slave_nodes,synchronised_slave_nodes,members,online'),
      );
      for (const tools of [{}, CTL_ONLY]) {
        const d = (await c.run('status', [], tools)).data as StatusData;
        expect(d.nodes.map((n) => n.running)).toEqual([true, true, false]);
        expect(d.queues?.unhealthy).toEqual(['jobs (2/3 members online; offline: rabbit@rabbit3)']);
        expect(d.healthy).toBe(false);
      }
      // check: degraded (one node of three), what to do said, and the two left are quorum-critical
      const chk = await c.run('check');
      const findings = (chk.data as { findings: Array<{ check: string; subject: string; action: string }> }).findings.filter((f) => f.check !== 'support');
      expect(chk.exitCode).toBe(1);
      expect(findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ check: 'node-down', subject: 'rabbit3', action: '`rmq-compose restart rabbit3`' }),
          expect.objectContaining({ check: 'unsynchronised', subject: 'jobs (2/3 members online; offline: rabbit@rabbit3)' }),
          expect.objectContaining({ check: 'quorum-critical', subject: 'rabbit1' }),
          expect.objectContaining({ check: 'quorum-critical', subject: 'rabbit2' }),
        ]),
      );
      // the quorum gate: with rabbit3 down, stopping another node would leave jobs on 1 of 3
      const gate = await c.cluster.exec('rabbit2', ['rabbitmq-queues', 'check_if_node_is_quorum_critical']);
      await capture(`check_if_node_is_quorum_critical-${VERSION}-critical.txt`, `exit ${gate.exitCode}\n${gate.stdout}\n${gate.stderr}`);
      const startedAt = async () => {
        const id = (await c.cluster.compose(['ps', '-q', 'rabbit2'])).stdout.trim();
        return (await harness().runner.run({ file: 'docker', args: ['inspect', '-f', '{{.State.StartedAt}}', id], env: harness().env, timeoutMs: 30_000 }))
          .stdout;
      };
      const before = await startedAt();
      await expect(c.run('restart', ['rabbit2'])).rejects.toThrow(/^not restarting rabbit2: some queues need it right now[\s\S]*jobs[\s\S]*--force/);
      await expect(c.run('drain', ['rabbit1'])).rejects.toThrow(/^not draining rabbit1/);
      // nothing was restarted
      expect(await startedAt()).toBe(before);
    } finally {
      await c.cluster.composeChecked(['start', 'rabbit3']);
    }
    const back = await c.run('restart', ['rabbit3']);
    expect(back.ok).toBe(true);
  }, 600_000);

  it('refuses mirror-policy and sync, which 4.0 removed, before running anything', async () => {
    for (const argv of [['list'], ['set', 'ha-all', '^', 'all'], ['clear', 'ha-all']]) {
      await expect(c.run('mirror-policy', argv)).rejects.toBeInstanceOf(RefusedError);
    }
    await expect(c.run('mirror-policy', ['list'])).rejects.toThrow(/quorum queues/);
    await expect(c.run('sync', ['jobs'])).rejects.toThrow(/RabbitMQ 4\.0 removed/);
  }, 60_000);

  it('drains and revives a 4.x node', async () => {
    const drain = await c.run('drain', ['rabbit2']);
    expect(drain.data).toMatchObject({ maintenance: true });
    await capture(`api-nodes-${VERSION}-drained.json`, await apiGet('/api/nodes?columns=name,running,being_drained'));
    const api = (await c.run('status')).data as StatusData;
    expect(api.nodes[1]).toMatchObject({ running: true, maintenance: true });
    const d = (await c.run('status', [], CTL_ONLY)).data as StatusData;
    expect(d.nodes[1]).toMatchObject({ running: true, maintenance: true });
    const revive = await c.run('revive', ['rabbit2']);
    expect(revive.data).toMatchObject({ maintenance: false });
  }, 300_000);

  it('backs up the definitions, and restore brings back what was deleted', async () => {
    await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', 'add_user', 'e2e-temp', 'e2e-temp-pass-0123']);
    const backup = await c.run('backup');
    const file = (backup.data as { file: string }).file;
    expect(file).toMatch(/^backups\/definitions-\d{8}T\d{6}Z\.json$/);
    const { stat, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    expect((await stat(join(c.dir, file))).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(join(c.dir, file), 'utf8')) as { users: Array<{ name: string }>; queues: Array<{ name: string }> };
    expect(saved.users.map((u) => u.name)).toContain('e2e-temp');
    expect(saved.queues.map((q) => q.name)).toContain('jobs');
    expect(JSON.stringify(backup)).not.toContain('e2e-temp-pass-0123');
    await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', 'delete_user', 'e2e-temp']);
    const restore = await c.run('restore', ['latest']);
    expect(restore.data).toMatchObject({ file });
    expect(await ctl(c.cluster, 'rabbit1', ['rabbitmqctl', '-q', 'list_users'])).toContain('e2e-temp');
    // the password came back too (its hash was in the file)
    expect((await c.cluster.exec('rabbit1', ['rabbitmqctl', 'authenticate_user', 'e2e-temp', 'e2e-temp-pass-0123'])).exitCode).toBe(0);
  }, 300_000);

  it('refuses an upgrade RabbitMQ does not support in place, before touching anything', async () => {
    if (line === '4.0')
      await expect(c.run('upgrade', ['--to', 'rabbitmq:4.3-management'])).rejects.toThrow(/cannot skip release lines\. Upgrade through 4\.2 → 4\.3/);
    else await expect(c.run('upgrade', ['--to', 'rabbitmq:4.0-management'])).rejects.toThrow(/downgrade/);
  }, 120_000);

  it('finds no partition', async () => {
    const r = await c.run('partitions');
    expect(r.data).toMatchObject({ partitioned: false, restart: [] });
  }, 120_000);
});

async function apiGet(path: string): Promise<string> {
  const port = c.cluster.model.nodes[0]!.ports.management;
  const { user, pass } = c.cluster.admin;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` },
    signal: AbortSignal.timeout(10_000),
  });
  return res.text();
}
