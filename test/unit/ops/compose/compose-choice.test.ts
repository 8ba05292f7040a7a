import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ClusterManifest } from '../../../../contract/manifest.js';
import type { ProgressStep } from '../../../../ops/action.js';
import { atLeast, chooseCompose } from '../../../../ops/compose/compose-choice.js';
import { ComposeClient } from '../../../../ops/compose/compose-client.js';
import { ComposeTooOldError } from '../../../../ops/compose/compose-errors.js';
import { runAction } from '../../../../ops/run-action.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir, COMPOSE_V2, ENGINE_UP, ENGINE_VERSION, fakeTools, PS, psJson, ScriptedRunner, type Reply } from '../fake-runner.js';

/**
 * Issue 19: a multi-host deploy ran docker-compose v1, and every machine answered "configs.x
 * value 'content' does not match any of the regexes". Files carrying configs inline need Compose
 * v2.23.1+: anything older is refused before Compose runs on any machine.
 */
const INLINE = 'name: rmq-prod\nservices:\n  rabbit1:\n    configs:\n      - source: rabbit1-rabbitmq-conf\n        target: /etc/rabbitmq/rabbitmq.conf\nconfigs:\n  rabbit1-rabbitmq-conf:\n    content: |\n      loopback_users = none\n';
const BIND = 'services:\n  rabbit1:\n    volumes:\n      - ./rabbitmq/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf:ro\n';
const NO_PLUGIN: [string, Reply] = ['compose version --short', { exitCode: 1, stderr: 'unknown flag: --short' }];
const V1: [string, Reply] = ['version --short', { stdout: '1.29.2' }];

function multiHost(): ClusterManifest {
  const m = fakeManifest('prod');
  m.project = 'rmq-prod';
  m.rabbitmq.formation = 'auto';
  m.nodes = m.nodes.map((n, i) => ({ ...n, host: `mq${i + 1}` }));
  m.hosts = m.nodes.map((n, i) => ({ name: `mq${i + 1}`, address: `10.0.0.1${i + 1}`, docker: `ssh://root@10.0.0.1${i + 1}`, composeFile: `hosts/mq${i + 1}/docker-compose.yml`, services: [n.name] }));
  return m;
}

async function withFiles(manifest: ClusterManifest, text: (host: string) => string): Promise<string> {
  const dir = await clusterDir(manifest);
  for (const h of manifest.hosts) {
    mkdirSync(dirname(join(dir, h.composeFile)), { recursive: true });
    writeFileSync(join(dir, h.composeFile), text(h.name));
  }
  return dir;
}

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const cluster = async (manifest: ClusterManifest, text: (host: string) => string) => {
  const dir = await withFiles(manifest, text);
  dirs.push(dir);
  return { dir, manifest };
};

describe('deploy with a Compose that cannot read the files', () => {
  test('v1 only, files with inline configs: refused in the pre-flight, before any engine is asked or any up runs', async () => {
    const { dir } = await cluster(multiHost(), () => INLINE);
    const runner = new ScriptedRunner([NO_PLUGIN, V1, ENGINE_UP, ['up -d --remove-orphans', { exitCode: 0 }], [PS, psJson([['rabbit1', 'running', 'healthy']])]]);
    const steps: ProgressStep[] = [];
    const failing = runAction('deploy', [], { dir, actor: { via: 'cli', id: 'tester' }, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner), progress: (s) => steps.push(s) });
    await expect(failing).rejects.toBeInstanceOf(ComposeTooOldError);
    const error = (await failing.catch((e: unknown) => e)) as ComposeTooOldError;
    expect(error.files).toEqual(['hosts/mq1/docker-compose.yml', 'hosts/mq2/docker-compose.yml', 'hosts/mq3/docker-compose.yml']);
    expect(error.message.split('\n')[0]).toBe(
      'docker-compose 1.29.2 (docker-compose on PATH; no Compose v2 plugin, `docker compose` said "unknown flag: --short") cannot read hosts/mq1/docker-compose.yml, hosts/mq2/docker-compose.yml, hosts/mq3/docker-compose.yml: they carry the generated files as top-level `configs:` with `content:`, which needs Docker Compose v2.23.1 or later. Refused before running Compose on any machine.',
    );
    expect(error.message).toMatch(/Install the Docker Compose v2 plugin, 2\.23\.1 or later .*\/cli-plugins/);
    expect(runner.calls.filter((c) => c === ENGINE_VERSION || c.startsWith('up '))).toEqual([]);
    expect(steps.map((s) => [s.id, s.state])).toEqual([['compose', 'running'], ['compose', 'failed']]);
  });

  test('every compose command is refused too (actions other than deploy): nothing is run', async () => {
    const c = await cluster(multiHost(), () => INLINE);
    const runner = new ScriptedRunner([NO_PLUGIN, V1]);
    const compose = new ComposeClient(runner, c, []);
    await expect(compose.up(c.manifest.hosts[0]!)).rejects.toBeInstanceOf(ComposeTooOldError);
    await expect(compose.exec('rabbit1', ['true'])).rejects.toBeInstanceOf(ComposeTooOldError);
    expect(runner.calls.filter((k) => !/version --short$/.test(k))).toEqual([]);
  });

  test('a v2 plugin older than 2.23.1 is refused the same way', async () => {
    const c = await cluster(multiHost(), (h) => (h === 'mq2' ? INLINE : BIND));
    await expect(chooseCompose(new ScriptedRunner([['compose version --short', { stdout: '2.20.3' }]]), c)).rejects.toThrow(
      /^docker compose 2\.20\.3 \(the docker CLI found the plugin\) cannot read hosts\/mq2\/docker-compose\.yml: it carries/,
    );
  });
});

describe('the Compose chosen, and why', () => {
  test('v2 new enough for inline configs: its description for a progress line', async () => {
    const c = await cluster(multiHost(), () => INLINE);
    const compose = new ComposeClient(new ScriptedRunner([COMPOSE_V2]), c, []);
    expect(await compose.describeCompose()).toBe('docker compose 2.26.1 (the docker CLI found the plugin)');
  });

  test('v1 stays usable for bind-mount files (one machine), and says why it was chosen', async () => {
    const c = await cluster(fakeManifest('seed'), () => BIND);
    const choice = await chooseCompose(new ScriptedRunner([NO_PLUGIN, V1]), c);
    expect([choice.flavor.file, choice.description]).toEqual(['docker-compose', 'docker-compose 1.29.2 (docker-compose on PATH; no Compose v2 plugin, `docker compose` said "unknown flag: --short")']);
  });

  test('a plugin found on disk is asked its release only when the files need a minimum', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rmq-compose-choice-'));
    dirs.push(root);
    const pluginDir = join(root, 'cli-plugins');
    mkdirSync(pluginDir);
    writeFileSync(join(pluginDir, 'docker-compose'), '#!/bin/sh\n');
    chmodSync(join(pluginDir, 'docker-compose'), 0o755);
    const places = { env: { HOME: root, DOCKER_CONFIG: root }, systemDirs: [] };
    class DiskRunner extends ScriptedRunner {
      readonly findsPluginsOnDisk = true;
    }
    const bind = new DiskRunner([COMPOSE_V2]);
    expect((await chooseCompose(bind, await cluster(fakeManifest('seed'), () => BIND), places)).description).toBe(`docker compose (plugin ${pluginDir}/docker-compose)`);
    expect(bind.calls).toEqual([]);
    const inline = new DiskRunner([COMPOSE_V2]);
    expect((await chooseCompose(inline, await cluster(multiHost(), () => INLINE), places)).description).toBe(`docker compose 2.26.1 (plugin ${pluginDir}/docker-compose)`);
    expect(inline.calls).toEqual(['compose version --short']);
  });

  test('status can still say why there is none: describeCompose does not throw', async () => {
    const c = await cluster(multiHost(), () => INLINE);
    expect(await new ComposeClient(new ScriptedRunner([NO_PLUGIN, V1]), c, []).describeCompose()).toMatch(/^none usable: docker-compose 1\.29\.2 .* cannot read /);
  });

  test('atLeast compares the leading numbers only', () => {
    expect([atLeast('2.26.1-4', '2.23.1'), atLeast('2.23.1', '2.23.1'), atLeast('2.23.0', '2.23.1'), atLeast('2.3.10', '2.23.1'), atLeast('3.0', '2.23.1'), atLeast('1.29.2', '2.23.1')]).toEqual([true, true, false, false, true, false]);
  });
});
