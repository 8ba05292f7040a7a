import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';
import { openComposeProject, type ComposeProject } from './harness/cleanup.js';
import { waitFor } from './harness/cluster-probes.js';
import { useE2eHarness } from './harness/setup.js';
import { ADMIN, smokeProjectFiles, VIPS } from './harness/smoke-project.js';

/**
 * Proves the harness end to end: the engine runs, Compose v2 drives it, the locally built images
 * boot RabbitMQ 3.10.8 and 4.0.5, classic_config peer discovery forms a cluster with the cookie
 * wrapper the generator uses, and keepalived + nginx work from the same image. Also records real
 * CLI output as fixtures for the ops parsers (RMQ_E2E_UPDATE_FIXTURES=1 rewrites them).
 */
const harness = useE2eHarness();

const NODES = ['r3a', 'r3b', 'r4a', 'r4b'];
const timings: Record<string, number> = {};
let project: ComposeProject | undefined;

function exec(service: string, command: string[], timeoutMs = 60_000) {
  return project!.compose(['exec', '-T', service, ...command], timeoutMs);
}

async function runningNodes(service: string): Promise<{ raw: string; running: string[] } | undefined> {
  const result = await exec(service, ['rabbitmqctl', 'cluster_status', '--formatter', 'json']);
  if (result.exitCode !== 0) return undefined;
  const running = (JSON.parse(result.stdout) as { running_nodes: string[] }).running_nodes.sort();
  return running.length === 2 ? { raw: result.stdout, running } : undefined;
}

function saveFixture(relative: string, content: string): void {
  const file = join(packageRoot(), 'test', 'fixtures', relative);
  if (existsSync(file) && process.env.RMQ_E2E_UPDATE_FIXTURES !== '1') return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content.endsWith('\n') ? content : `${content}\n`);
}

/** An AMQP 0-9-1 client's first bytes; a broker answers with a Connection.Start method frame. */
function amqpGreeting(host: string, port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 10_000 });
    socket.once('connect', () => socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data);
    });
    socket.once('timeout', () => socket.destroy(new Error(`no answer from ${host}:${port}`)));
    socket.once('error', reject);
  });
}

describe('engine smoke: images, Compose v2, clustering, load balancer', () => {
  beforeAll(async () => {
    const h = harness();
    const nofile = Math.min(65536, h.engine.nofileLimit ?? 65536);
    const files = smokeProjectFiles({ v3: h.images.v3.ref, v4: h.images.v4.ref }, nofile);
    project = await openComposeProject('smoke', files, h.env, h.runner);
    const started = Date.now();
    await project.composeChecked(['up', '-d'], 300_000);
    timings.upMs = Date.now() - started;
    await Promise.all(
      NODES.map((node) =>
        waitFor(`${node} to run`, 240_000, async () => ((await exec(node, ['rabbitmq-diagnostics', '-q', 'check_running'])).exitCode === 0 ? true : undefined)),
      ),
    );
    timings.allRunningMs = Date.now() - started;
    await Promise.all(['r3a', 'r4a'].map((node) => waitFor(`${node}'s cluster`, 120_000, () => runningNodes(node))));
    timings.clustersFormedMs = Date.now() - started;
  }, 600_000);

  afterAll(async () => {
    await project?.down();
    const h = harness();
    console.log(
      `e2e smoke timings: ${JSON.stringify({ harness: h.timings, smoke: timings, storageDriver: h.engine.storageDriver, compose: h.compose.v2Version })}`,
    );
  }, 300_000);

  it('runs RabbitMQ 3.10.8 and 4.0.5 from the two images', async () => {
    for (const [node, version] of [
      ['r3a', '3.10.8'],
      ['r4a', '4.0.5'],
    ] as const) {
      const result = await exec(node, ['rabbitmqctl', 'version']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout.trim()).toBe(version);
      const status = await exec(node, ['rabbitmqctl', 'status']);
      expect(status.stdout).toContain(version);
    }
  });

  it('forms a 2-node classic_config cluster on each image with the cookie wrapper', async () => {
    for (const [node, peer, fixture] of [
      ['r3a', 'r3b', 'cluster_status-3.10.json'],
      ['r4a', 'r4b', 'cluster_status-4.0.json'],
    ] as const) {
      const status = await runningNodes(node);
      expect(status?.running).toEqual([`rabbit@${node}`, `rabbit@${peer}`]);
      saveFixture(join('rabbitmqctl', fixture), status!.raw);
    }
  });

  it('honours the official image contract: uid 999, cookie 0400, broker not root, default user, plugins CLI', async () => {
    for (const node of NODES) {
      const cookie = await exec(node, ['stat', '-c', '%a %U %u', '/var/lib/rabbitmq/.erlang.cookie']);
      expect(cookie.stdout.trim()).toBe('400 rabbitmq 999');
      const beam = await exec(node, ['ps', '-o', 'user=', '-C', 'beam.smp']);
      expect(beam.stdout.trim()).toBe('rabbitmq');
      const users = await exec(node, ['rabbitmqctl', 'list_users', '--formatter', 'json']);
      expect((JSON.parse(users.stdout) as { user: string }[]).map((u) => u.user)).toContain(ADMIN.user);
      const plugins = await exec(node, ['rabbitmq-plugins', 'list', '--enabled', '--minimal']);
      expect(plugins.stdout.split('\n')).toEqual(expect.arrayContaining(['rabbitmq_management', 'rabbitmq_mqtt']));
    }
  });

  it('runs keepalived (NET_ADMIN, NET_BROADCAST, NET_RAW) holding the VIP, and nginx stream proxying AMQP through it', async () => {
    for (const [name, vip] of [
      ['3', VIPS.v3],
      ['4', VIPS.v4],
    ] as const) {
      await waitFor(`VIP ${vip}`, 30_000, async () => {
        const addr = await exec(`ka${name}`, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
        return addr.stdout.includes(`${vip}/24`) ? true : undefined;
      });
      const test = await exec(`nginx${name}`, ['nginx', '-t', '-c', '/etc/nginx/lb.conf']);
      expect(test.exitCode).toBe(0);
      const include = await exec(`nginx${name}`, ['nginx', '-t', '-c', '/etc/nginx/include-test.conf']);
      expect(include.exitCode).toBe(0);
      const greeting = await waitFor(`AMQP through ${vip}:5670`, 30_000, () => amqpGreeting(vip, 5670));
      // frame type 1 (method) on channel 0, class 10 method 10: connection.start
      expect([greeting[0], greeting.readUInt16BE(7), greeting.readUInt16BE(9)]).toEqual([1, 10, 10]);
    }
  });

  it('reports its containers with `docker compose ps --format json`', async () => {
    const ps = await project!.composeChecked(['ps', '--format', 'json']);
    // Compose >= 2.21 prints one JSON object per line, older v2 a single array
    const rows = ps.stdout.trim().startsWith('[')
      ? (JSON.parse(ps.stdout) as unknown[])
      : ps.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown);
    expect(rows).toHaveLength(NODES.length + 4);
    saveFixture(join('compose', 'ps-v2.json'), ps.stdout);
  });
});
