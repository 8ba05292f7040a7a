import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { ExecaRunner, runChecked } from '../../../ops/runner/execa-runner.js';
import { canUseApt } from './apt.js';
import { debianArchive } from './apt-sources.js';
import { docker } from './docker.js';
import { paths } from './paths.js';

export interface ComposeCli {
  /** `docker compose version --short`, e.g. "2.26.1-4". */
  v2Version: string;
  /** Set when the plugin came from the harness cache: children need DOCKER_CONFIG pointing here. */
  dockerConfig?: string;
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

export async function ensureComposeV2(dockerHost: string, runner: CommandRunner = new ExecaRunner()): Promise<ComposeCli> {
  const standaloneVersion = await standalone(runner);
  const builtIn = await composeVersion(runner, { DOCKER_HOST: dockerHost });
  if (builtIn) return { v2Version: builtIn, standaloneVersion };

  const cachedEnv = { DOCKER_HOST: dockerHost, DOCKER_CONFIG: paths.dockerConfig };
  let version = await composeVersion(runner, cachedEnv);
  if (!version) {
    if (!canUseApt()) {
      throw new Error('`docker compose` (v2) is missing and cannot be fetched here (needs root and apt-get): install the Compose v2 CLI plugin (docker-compose-plugin or Debian trixie docker-compose)');
    }
    await fetchPlugin(runner);
    version = await composeVersion(runner, cachedEnv);
    if (!version) throw new Error(`the Compose plugin fetched into ${paths.dockerConfig}/cli-plugins does not run`);
  }
  return { v2Version: version, dockerConfig: paths.dockerConfig, standaloneVersion };
}

/** What child processes (docker, docker compose, rmq-compose) need to reach this engine and plugin. */
export function dockerChildEnv(dockerHost: string, compose: ComposeCli): Record<string, string> {
  return compose.dockerConfig ? { DOCKER_HOST: dockerHost, DOCKER_CONFIG: compose.dockerConfig } : { DOCKER_HOST: dockerHost };
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

async function fetchPlugin(runner: CommandRunner): Promise<void> {
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
    const target = join(paths.dockerConfig, 'cli-plugins', 'docker-compose');
    mkdirSync(join(paths.dockerConfig, 'cli-plugins'), { recursive: true });
    // copy then rename: a concurrent reader never runs half a binary
    copyFileSync(plugin, `${target}.partial`);
    chmodSync(`${target}.partial`, 0o755);
    renameSync(`${target}.partial`, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
