import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectComposeFlavor, describeFlavor } from '../../../ops/compose/compose-flavor.js';
import type { Command, CommandResult, CommandRunner } from '../../../ops/runner/command.js';

/**
 * ensureComposeV2 on fake machines in a temp dir (issue 19): with the plugin in
 * ~/.docker/cli-plugins it returned no dockerConfig, the multi-host operator's DOCKER_CONFIG had
 * no cli-plugins, and every multi-host e2e failed with "unknown flag: --short". A fake docker CLI
 * looks for the plugin where the real one does: $DOCKER_CONFIG/cli-plugins, or
 * ~/.docker/cli-plugins without DOCKER_CONFIG, then the system folders.
 */
class FakeDockerCli implements CommandRunner {
  readonly findsPluginsOnDisk = true;
  readonly calls: string[] = [];
  constructor(
    private readonly home: string,
    private readonly systemDirs: string[],
  ) {}

  async run(command: Command): Promise<CommandResult> {
    const line = [command.file, ...command.args].join(' ');
    this.calls.push(line);
    const result = (exitCode: number, stdout: string, stderr = '') => ({ command: line, exitCode, stdout, stderr, durationMs: 1, timedOut: false });
    if (line !== 'docker compose version --short') return result(127, '', `${command.file}: not found`);
    const config = command.env?.['DOCKER_CONFIG'] || join(this.home, '.docker');
    const found = [join(config, 'cli-plugins'), ...this.systemDirs].some((dir) => existsSync(join(dir, 'docker-compose')));
    return found ? result(0, '2.26.1\n') : result(1, '', 'unknown flag: --short');
  }
}

let root: string;
let ensureComposeV2: typeof import('../../e2e/harness/compose-cli.js').ensureComposeV2;
const home = () => join(root, 'home');
const system = () => join(root, 'usr-libexec-docker-cli-plugins');
const cacheConfig = () => join(root, 'cache', 'docker-config');
const savedCache = process.env.RMQ_TEST_CACHE_DIR;

function executable(dir: string, text = '#!/bin/sh\necho 2.26.1\n'): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'docker-compose'), text);
  chmodSync(join(dir, 'docker-compose'), 0o755);
  return join(dir, 'docker-compose');
}

/** The multi-host operator's config as machines/ssh-access.ts makes it: cli-plugins links the harness's. */
function operatorConfig(harnessConfig: string): string {
  const dir = join(root, 'operator', 'docker-config');
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(harnessConfig, 'cli-plugins'), join(dir, 'cli-plugins'));
  return dir;
}

const ensure = (runner: FakeDockerCli) =>
  ensureComposeV2('unix:///fake.sock', runner, { dockerConfig: cacheConfig(), machine: { env: { HOME: home() }, systemDirs: [system()] } });

beforeAll(async () => {
  // the harness's default cache is never the real one here, whatever the code does
  process.env.RMQ_TEST_CACHE_DIR = mkdtempSync(join(tmpdir(), 'rmq-compose-cli-cache-'));
  ({ ensureComposeV2 } = await import('../../e2e/harness/compose-cli.js'));
});
afterAll(() => {
  rmSync(process.env.RMQ_TEST_CACHE_DIR!, { recursive: true, force: true });
  if (savedCache === undefined) delete process.env.RMQ_TEST_CACHE_DIR;
  else process.env.RMQ_TEST_CACHE_DIR = savedCache;
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rmq-compose-cli-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ['~/.docker/cli-plugins', () => join(home(), '.docker', 'cli-plugins')],
  ['a system folder', () => system()],
])('the machine has the plugin in %s', (_where, pluginDir) => {
  test('the dockerConfig returned holds cli-plugins/docker-compose, and the multi-host operator finds it', async () => {
    const plugin = executable(pluginDir());
    const runner = new FakeDockerCli(home(), [system()]);
    const compose = await ensure(runner);
    expect(compose).toEqual({ v2Version: '2.26.1', dockerConfig: cacheConfig() });
    expect(readlinkSync(join(cacheConfig(), 'cli-plugins', 'docker-compose'))).toBe(plugin);
    // what rmq-compose does as that operator: the plugin through the linked cli-plugins, v2
    const operator = operatorConfig(compose.dockerConfig);
    const flavor = await detectComposeFlavor(new FakeDockerCli(home(), []), { env: { HOME: home(), DOCKER_CONFIG: operator }, systemDirs: [] });
    expect(describeFlavor(flavor)).toBe(`docker compose (plugin ${join(operator, 'cli-plugins', 'docker-compose')})`);
    // no apt: nothing was fetched
    expect(runner.calls.filter((c) => !c.endsWith('version --short'))).toEqual([]);
  });
});

describe('the plugin the harness fetched earlier', () => {
  test('no plugin of the machine: the fetched one is used as it is', async () => {
    const fetched = executable(join(cacheConfig(), 'cli-plugins'));
    expect((await ensure(new FakeDockerCli(home(), [system()]))).dockerConfig).toBe(cacheConfig());
    expect(lstatSync(fetched).isSymbolicLink()).toBe(false);
  });

  test("the machine's own plugin is preferred to it, and linking again changes nothing", async () => {
    executable(join(cacheConfig(), 'cli-plugins'), '#!/bin/sh\necho 2.26.1-fetched\n');
    const plugin = executable(system());
    await ensure(new FakeDockerCli(home(), [system()]));
    await ensure(new FakeDockerCli(home(), [system()]));
    expect(readlinkSync(join(cacheConfig(), 'cli-plugins', 'docker-compose'))).toBe(plugin);
  });

  test('~/.docker/cli-plugins/docker-compose being a link to the fetched copy is not linked back (no loop)', async () => {
    const fetched = executable(join(cacheConfig(), 'cli-plugins'));
    mkdirSync(join(home(), '.docker', 'cli-plugins'), { recursive: true });
    symlinkSync(fetched, join(home(), '.docker', 'cli-plugins', 'docker-compose'));
    expect((await ensure(new FakeDockerCli(home(), []))).v2Version).toBe('2.26.1');
    expect(lstatSync(fetched).isSymbolicLink()).toBe(false);
  });
});
