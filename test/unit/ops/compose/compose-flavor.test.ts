import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposePluginHiddenError } from '../../../../ops/compose/compose-errors.js';
import { describeFlavor, detectComposeFlavor } from '../../../../ops/compose/compose-flavor.js';
import type { PluginPlaces } from '../../../../ops/compose/plugin-dirs.js';
import { DockerUnavailableError } from '../../../../ops/errors.js';
import { ScriptedRunner, type Reply } from '../fake-runner.js';

/**
 * Which Compose runs, on fake machines: a HOME, a DOCKER_CONFIG and a system plugin folder in a
 * temp dir, and a runner that looks at that disk like the real one. Issue 19: with DOCKER_CONFIG
 * set, the plugin in ~/.docker/cli-plugins is not seen by the docker CLI, and v1 was picked silently.
 */
class DiskRunner extends ScriptedRunner {
  readonly findsPluginsOnDisk = true;
}

const NO_PLUGIN: [string, Reply] = ['compose version --short', { exitCode: 1, stderr: 'unknown flag: --short\n\nUsage:  docker [OPTIONS] COMMAND\n' }];
const V1_ON_PATH: [string, Reply] = ['version --short', { stdout: '1.29.2\n' }];

let root: string;
let places: PluginPlaces;
const home = () => join(root, 'home');
const config = () => join(root, 'operator-config');
const system = () => join(root, 'usr-libexec-docker-cli-plugins');

function plugin(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'docker-compose');
  writeFileSync(file, '#!/bin/sh\necho 2.26.1\n');
  chmodSync(file, 0o755);
  return file;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rmq-compose-flavor-'));
  places = { env: { HOME: home(), DOCKER_CONFIG: config() }, systemDirs: [system()] };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('detectComposeFlavor', () => {
  test('plugin in ~/.docker/cli-plugins hidden by DOCKER_CONFIG, v1 on PATH: a typed error that says how to fix it, v1 is not run', async () => {
    const hidden = plugin(join(home(), '.docker', 'cli-plugins'));
    const runner = new DiskRunner([NO_PLUGIN, V1_ON_PATH]);
    const failing = detectComposeFlavor(runner, places);
    await expect(failing).rejects.toBeInstanceOf(ComposePluginHiddenError);
    const error = (await failing.catch((e: unknown) => e)) as ComposePluginHiddenError;
    expect([error.plugin, error.dockerConfig]).toEqual([hidden, config()]);
    expect(error.message).toContain(`DOCKER_CONFIG=${config()} is set, so the docker CLI looks for plugins only in ${join(config(), 'cli-plugins')}, ${system()} (\`docker compose\` said "unknown flag: --short")`);
    expect(error.message).toContain(`ln -s ${hidden} ${config()}/cli-plugins/docker-compose`);
    expect(runner.calls).toEqual(['compose version --short']);
  });

  test('the plugin where the docker CLI looks ($DOCKER_CONFIG/cli-plugins, or a system folder): v2, named by its path, no process started', async () => {
    const inConfig = plugin(join(config(), 'cli-plugins'));
    const runner = new DiskRunner([V1_ON_PATH]);
    const flavor = await detectComposeFlavor(runner, places);
    expect([flavor.version, flavor.file, flavor.prefix, describeFlavor(flavor)]).toEqual([2, 'docker', ['compose'], `docker compose (plugin ${inConfig})`]);
    rmSync(config(), { recursive: true });
    const inSystem = plugin(system());
    expect(describeFlavor(await detectComposeFlavor(new DiskRunner(), places))).toBe(`docker compose (plugin ${inSystem})`);
    expect(runner.calls).toEqual([]);
  });

  test('without DOCKER_CONFIG, ~/.docker/cli-plugins is where the CLI looks: v2', async () => {
    const mine = plugin(join(home(), '.docker', 'cli-plugins'));
    expect(describeFlavor(await detectComposeFlavor(new DiskRunner(), { ...places, env: { HOME: home() } }))).toBe(`docker compose (plugin ${mine})`);
  });

  test('the docker CLI finds the plugin elsewhere (cliPluginsExtraDirs): v2 with its release', async () => {
    const flavor = await detectComposeFlavor(new DiskRunner([['compose version --short', { stdout: 'v2.29.7\n' }]]), places);
    expect(describeFlavor(flavor)).toBe('docker compose 2.29.7 (the docker CLI found the plugin)');
  });

  test('no plugin installed at all, v1 on PATH: v1, and the reason says where the plugin was looked for', async () => {
    const flavor = await detectComposeFlavor(new DiskRunner([NO_PLUGIN, V1_ON_PATH]), places);
    expect([flavor.version, flavor.file, flavor.prefix]).toEqual([1, 'docker-compose', []]);
    expect(describeFlavor(flavor)).toBe(
      `docker-compose 1.29.2 (docker-compose on PATH; no Compose v2 plugin in ${join(config(), 'cli-plugins')}, ${system()}, \`docker compose\` said "unknown flag: --short")`,
    );
  });

  test('a standalone docker-compose that is v2 counts as v2', async () => {
    const flavor = await detectComposeFlavor(new DiskRunner([NO_PLUGIN, ['version --short', { stdout: '2.24.6\n' }]]), places);
    expect([flavor.version, flavor.release]).toEqual([2, '2.24.6']);
  });

  test('neither: DockerUnavailableError naming the folders searched and what each command said', async () => {
    const failing = detectComposeFlavor(new DiskRunner([NO_PLUGIN, ['version --short', { exitCode: 127, stderr: 'docker-compose: not found' }]]), places);
    await expect(failing).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(failing).rejects.toThrow(`no Compose v2 plugin in ${join(config(), 'cli-plugins')}, ${system()}, \`docker compose\` said "unknown flag: --short", and \`docker-compose\` said "docker-compose: not found"`);
  });
});
