import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findComposePlugin, thisMachine, visiblePluginDirs, type PluginPlaces } from '../../../ops/compose/plugin-dirs.js';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { ExecaRunner, runChecked } from '../../../ops/runner/execa-runner.js';
import { canUseApt } from './apt.js';
import { debianArchive } from './apt-sources.js';
import { docker } from './docker.js';
import { paths } from './paths.js';

export interface ComposeCli {
  /** `docker compose version --short`, e.g. "2.26.1-4". */
  v2Version: string;
  /**
   * Always the harness's own config dir, whose cli-plugins/docker-compose is the machine's plugin
   * (linked) or one fetched: children get DOCKER_CONFIG pointing here, and the multi-host
   * operator's config links its cli-plugins, wherever this machine has the plugin.
   */
  dockerConfig: string;
  /** `docker-compose version --short` when a standalone docker-compose (v1 or v2) is on PATH. */
  standaloneVersion?: string;
}

/**
 * Bookworm's docker-compose is v1 (1.29.2, Python); trixie's package (2.26.x) is the Go v2 CLI
 * plugin, statically linked enough to run on bookworm. It is fetched from the machine's own Debian
 * archive with a throw-away apt configuration, so the machine's apt state is not changed.
 */
const PLUGIN_SUITE = 'trixie';
const PLUGIN_PACKAGE = 'docker-compose';
const PLUGIN_IN_DEB = 'usr/libexec/docker/cli-plugins/docker-compose';

/** Where the harness keeps its docker config, and where this machine may have a plugin of its own. */
export interface ComposePlaces {
  dockerConfig: string;
  machine: PluginPlaces;
}

export async function ensureComposeV2(
  dockerHost: string,
  runner: CommandRunner = new ExecaRunner(),
  places: ComposePlaces = { dockerConfig: paths.dockerConfig, machine: thisMachine() },
): Promise<ComposeCli> {
  const { dockerConfig } = places;
  const standaloneVersion = await standalone(runner);
  // with DOCKER_CONFIG set the docker CLI no longer looks in ~/.docker/cli-plugins, so the
  // machine's own plugin (there or in a system folder) is linked into the config every child gets
  const own = machinePlugin(places);
  if (own) linkPlugin(own, dockerConfig);
  const env = { DOCKER_HOST: dockerHost, DOCKER_CONFIG: dockerConfig };
  let version = await composeVersion(runner, env);
  if (!version) {
    if (!canUseApt()) {
      throw new Error(
        `\`docker compose\` (v2) is missing${own ? ` (${own} does not run)` : ''} and cannot be fetched here (needs root and apt-get): install the Compose v2 CLI plugin (docker-compose-plugin or Debian trixie docker-compose)`,
      );
    }
    await fetchPlugin(runner, dockerConfig);
    version = await composeVersion(runner, env);
    if (!version) throw new Error(`the Compose plugin fetched into ${dockerConfig}/cli-plugins does not run`);
  }
  return { v2Version: version, dockerConfig, standaloneVersion };
}

/** The plugin this machine's docker CLI uses, else one in ~/.docker/cli-plugins hidden by DOCKER_CONFIG; never the harness's own. */
function machinePlugin({ dockerConfig, machine }: ComposePlaces): string | undefined {
  const ours = resolve(dockerConfig, 'cli-plugins');
  const home = join(machine.env['HOME'] || homedir(), '.docker', 'cli-plugins');
  return findComposePlugin([...visiblePluginDirs(machine), home].filter((dir) => resolve(dir) !== ours));
}

/** <dockerConfig>/cli-plugins/docker-compose → `plugin`, replaced in one rename (a fetched copy, an older link). */
function linkPlugin(plugin: string, dockerConfig: string): void {
  const link = join(dockerConfig, 'cli-plugins', 'docker-compose');
  // already linked; or ~/.docker's is itself a link to our fetched copy (linking back would loop)
  if (sameFile(plugin, link)) return;
  mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
  // a unique temporary name: e2e files set up in parallel jest workers
  const partial = `${link}.link-${process.pid}`;
  rmSyncQuiet(partial);
  symlinkSync(plugin, partial);
  renameSync(partial, link);
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function rmSyncQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // nothing left from an earlier, killed run
  }
}

/** What child processes (docker, docker compose, rmq-compose) need to reach this engine and plugin. */
export function dockerChildEnv(dockerHost: string, compose: ComposeCli): Record<string, string> {
  return { DOCKER_HOST: dockerHost, DOCKER_CONFIG: compose.dockerConfig };
}

async function composeVersion(runner: CommandRunner, env: Record<string, string>): Promise<string | undefined> {
  const result = await runner.run(docker(['compose', 'version', '--short'], env, 20_000));
  const version = result.stdout.trim().replace(/^v/, '');
  return result.exitCode === 0 && /^2\./.test(version) ? version : undefined;
}

async function standalone(runner: CommandRunner): Promise<string | undefined> {
  const result = await runner.run({ file: 'docker-compose', args: ['version', '--short'], timeoutMs: 20_000 });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

async function fetchPlugin(runner: CommandRunner, dockerConfig: string): Promise<void> {
  const archive = debianArchive();
  const work = await mkdtemp(join(tmpdir(), 'rmq-compose-apt-'));
  try {
    for (const dir of ['lists/partial', 'cache/archives/partial', 'parts', 'prefs', 'download']) mkdirSync(join(work, dir), { recursive: true });
    writeFileSync(join(work, 'sources.list'), `deb [signed-by=${archive.keyring}] ${archive.uri} ${PLUGIN_SUITE} main\n`);
    // every path apt would write to or read sources from is redirected into the work dir
    const apt = [
      ...['-o', `Dir::Etc::SourceList=${join(work, 'sources.list')}`, '-o', `Dir::Etc::SourceParts=${join(work, 'parts')}`],
      ...['-o', `Dir::Etc::PreferencesParts=${join(work, 'prefs')}`, '-o', `Dir::State::Lists=${join(work, 'lists')}`],
      ...['-o', `Dir::Cache=${join(work, 'cache')}`, '-o', 'Acquire::Languages=none', '-o', 'APT::Sandbox::User=root'],
    ];
    await runChecked(runner, { file: 'apt-get', args: [...apt, 'update', '-qq'], timeoutMs: 300_000 }, `apt-get update (${PLUGIN_SUITE} index)`);
    const download = join(work, 'download');
    await runChecked(runner, { file: 'apt-get', args: [...apt, 'download', `${PLUGIN_PACKAGE}/${PLUGIN_SUITE}`], cwd: download, timeoutMs: 300_000 });
    const deb = readdirSync(download).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${PLUGIN_PACKAGE} produced no .deb`);
    await runChecked(runner, { file: 'dpkg-deb', args: ['-x', join(download, deb), join(work, 'root')], timeoutMs: 120_000 });
    const plugin = join(work, 'root', PLUGIN_IN_DEB);
    if (!existsSync(plugin)) throw new Error(`${deb} holds no ${PLUGIN_IN_DEB}`);
    const target = join(dockerConfig, 'cli-plugins', 'docker-compose');
    mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
    // copy then rename: a concurrent reader never runs half a binary
    copyFileSync(plugin, `${target}.partial`);
    chmodSync(`${target}.partial`, 0o755);
    renameSync(`${target}.partial`, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
