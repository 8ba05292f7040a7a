import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLI } from '../../helpers/cli.js';
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findComposePlugin, SYSTEM_PLUGIN_DIRS } from '../../../ops/compose/plugin-dirs.js';
import type { StatusData } from '../../../ops/status/status-view.js';
import { ensureDebianPackages, onPath } from '../../helpers/system-tools.js';
import { reportFigures } from '../harness/cluster-probes.js';
import { scenarioSpec } from '../harness/scenario-spec.js';
import { useE2eHarness } from '../harness/setup.js';
import { openOpsCluster, type OpsCluster } from './ops-cluster.js';

/**
 * The ops core on a machine where `docker compose` (v2) is missing and only the standalone
 * `docker-compose` exists (Debian bookworm's is v1, 1.29.2): the CLI as a user runs it, with a
 * DOCKER_CONFIG that holds no Compose plugin, deploys a cluster and reads its status.
 */
const harness = useE2eHarness();
let c: OpsCluster | undefined;
let noPluginConfig: string | undefined;
let standaloneVersion = '';
const figures: Record<string, unknown> = {};

function cli(args: string[], timeoutMs = 600_000) {
  const h = harness();
  // DOCKER_CONFIG without cli-plugins/ and a HOME without ~/.docker: no Compose plugin anywhere,
  // so the ops core must fall back (a plugin hidden by DOCKER_CONFIG is refused, not skipped)
  const env = { ...process.env, DOCKER_HOST: h.env.DOCKER_HOST!, DOCKER_CONFIG: noPluginConfig!, HOME: noPluginConfig! };
  return execa('node', [CLI, ...args], { env, reject: false, timeout: timeoutMs, stdin: 'ignore' });
}

// a plugin in a system folder cannot be hidden from the docker CLI: such a machine has no v1-only case
const systemPlugin = findComposePlugin(SYSTEM_PLUGIN_DIRS);

(systemPlugin ? describe.skip : describe)('ops through the standalone docker-compose (v1 on bookworm)', () => {
  beforeAll(async () => {
    await ensureDebianPackages(() => onPath('docker-compose'), ['docker-compose'], 'docker-compose');
    standaloneVersion = (await execa('docker-compose', ['version', '--short'])).stdout.trim();
    noPluginConfig = await mkdtemp(join(tmpdir(), 'rmqt-no-compose-plugin-'));
    const h = harness();
    const spec = scenarioSpec({ name: 'e2e-v1', image: h.images.v3.ref, version: '3.10.8', nodes: 3, subnet: 220, portBase: 40000 });
    c = await openOpsCluster(h, 'opsv1', spec);
  }, 600_000);

  afterAll(async () => {
    try {
      await c?.close();
    } finally {
      if (noPluginConfig) await rm(noPluginConfig, { recursive: true, force: true });
      reportFigures('ops-compose-v1', figures);
    }
  }, 300_000);

  it('deploys from nothing with `rmq-compose deploy --yes`', async () => {
    const started = Date.now();
    const deploy = await cli(['deploy', '-d', c!.dir, '--yes']);
    figures.deployMs = Date.now() - started;
    figures.composeVersion = standaloneVersion;
    expect({ code: deploy.exitCode, stderr: deploy.stderr }).toMatchObject({ code: 0 });
    if (standaloneVersion.startsWith('1.')) {
      // v1 names containers <project>_<service>_1: proof that v1, not a plugin, ran them
      const names = await execa('docker', ['ps', '--format', '{{.Names}}'], { env: { ...process.env, DOCKER_HOST: harness().env.DOCKER_HOST! } });
      expect(names.stdout.split('\n')).toContain(`${c!.cluster.project}_rabbit1_1`);
    }
  }, 600_000);

  it('reports every node running and clustered with `status --json`', async () => {
    const status = await cli(['status', '-d', c!.dir, '--json'], 120_000);
    expect(status.exitCode).toBe(0);
    const data = JSON.parse(status.stdout) as StatusData;
    expect(data.nodes.map((n) => [n.name, n.running])).toEqual([
      ['rabbit1', true],
      ['rabbit2', true],
      ['rabbit3', true],
    ]);
    expect(data.nodes.every((n) => n.version === '3.10.8')).toBe(true);
  }, 180_000);

  it('reads a node log with `logs --tail`', async () => {
    const logs = await cli(['logs', 'rabbit1', '--tail', '20', '-d', c!.dir], 120_000);
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toMatch(/rabbit/i);
    const audit = await readFile(join(c!.dir, 'audit.log'), 'utf8');
    const lines = audit
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; result: string });
    // each run: its intent first, then its outcome
    expect(lines.map((l) => `${l.action} ${l.result}`)).toEqual(['deploy started', 'deploy ok', 'status started', 'status ok', 'logs started', 'logs ok']);
  }, 180_000);
});
