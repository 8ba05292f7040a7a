import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { runChecked } from '../../../ops/runner/execa-runner.js';
import { ensureAptPackages } from './apt.js';
import { debianArchive } from './apt-sources.js';
import { dockerChecked, docker, type DockerEnv } from './docker.js';
import { withFileLock } from './lock.js';
import { removeTree } from './mounts.js';
import { paths } from './paths.js';

/**
 * What the generated keepalived/Dockerfile pins, and what its debs/README.md tells an operator to
 * do on a machine with a mirror, done here the same way: the base image (a Debian 13 minbase
 * under the tag the Dockerfile names, as `docker load` would bring it), and keepalived's .deb
 * files as `apt-get install --download-only` fetches them into that base. The test then builds
 * the Dockerfile with no network at all.
 */
export const KEEPALIVED_BASE = { tag: 'debian:13.8-slim', suite: 'trixie', keepalived: '1:2.3.3-1' } as const;

const LABEL = 'io.rmq-compose.test.keepalived-base';
const recipe = `${KEEPALIVED_BASE.suite} ${KEEPALIVED_BASE.keepalived} v1`;

export interface OfflineKeepalivedInputs {
  /** The base image, in the engine under KEEPALIVED_BASE.tag. */
  baseTag: string;
  /** The .deb files (keepalived and what the base lacks), cached between runs. */
  debs: string[];
}

/** The base image and the .deb files, built once and kept in the harness cache (rebuilt when the recipe changes). */
export async function ensureOfflineKeepalivedInputs(env: DockerEnv, runner: CommandRunner): Promise<OfflineKeepalivedInputs> {
  const debsDir = join(paths.cache, 'keepalived-offline-debs');
  return withFileLock(join(paths.cache, 'keepalived-base.lock'), 30 * 60_000, async () => {
    const inspected = await runner.run(
      docker(['image', 'inspect', '--format', `{{with .Config.Labels}}{{index . "${LABEL}"}}{{end}}`, KEEPALIVED_BASE.tag], env, 30_000),
    );
    const debs = existsSync(debsDir) ? readdirSync(debsDir).filter((f) => f.endsWith('.deb')) : [];
    if (inspected.exitCode === 0 && inspected.stdout.trim() === recipe && debs.some((f) => f.startsWith('keepalived_'))) {
      return { baseTag: KEEPALIVED_BASE.tag, debs: debs.map((f) => join(debsDir, f)) };
    }
    await buildBase(env, runner, debsDir);
    const built = readdirSync(debsDir).filter((f) => f.endsWith('.deb'));
    return { baseTag: KEEPALIVED_BASE.tag, debs: built.map((f) => join(debsDir, f)) };
  });
}

async function buildBase(env: DockerEnv, runner: CommandRunner, debsDir: string): Promise<void> {
  await ensureAptPackages(runner, ['debootstrap'], ['debootstrap'], 'building the keepalived base image');
  const archive = debianArchive();
  const dir = join(paths.builds, `keepalived-base-${process.pid}`);
  const rootfs = join(dir, 'rootfs');
  const cache = join(paths.debootstrapDebs, KEEPALIVED_BASE.suite);
  try {
    await removeTree(runner, dir);
    mkdirSync(rootfs, { recursive: true });
    mkdirSync(cache, { recursive: true });
    await runChecked(
      runner,
      {
        file: 'debootstrap',
        args: ['--variant=minbase', `--keyring=${archive.keyring}`, `--cache-dir=${cache}`, KEEPALIVED_BASE.suite, rootfs, archive.uri],
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 20 * 60_000,
      },
      `debootstrap ${KEEPALIVED_BASE.suite}`,
    );
    // the operator's step (keepalived/debs/README.md), in the base itself: exactly what it lacks
    const inside = '/tmp/keepalived-debs';
    mkdirSync(join(rootfs, inside), { recursive: true });
    const apt = (args: string[], what: string) =>
      runChecked(runner, { file: 'chroot', args: [rootfs, 'apt-get', ...args], env: { DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 600_000 }, what);
    await apt(['update', '-qq'], 'apt-get update in the keepalived base');
    await apt(
      [
        'install',
        '-y',
        '-qq',
        '--no-install-recommends',
        '--download-only',
        '-o',
        `Dir::Cache::archives=${inside}`,
        `keepalived=${KEEPALIVED_BASE.keepalived}`,
      ],
      'downloading keepalived',
    );
    rmSync(debsDir, { recursive: true, force: true });
    mkdirSync(debsDir, { recursive: true });
    for (const f of readdirSync(join(rootfs, inside)).filter((name) => name.endsWith('.deb'))) copyFileSync(join(rootfs, inside, f), join(debsDir, f));
    // as the official image ships: no package lists, no name server of this machine
    await removeTree(runner, join(rootfs, inside));
    rmSync(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
    mkdirSync(join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
    writeFileSync(join(rootfs, 'etc/resolv.conf'), '');
    const tarball = join(dir, 'rootfs.tar');
    await runChecked(runner, { file: 'tar', args: ['--numeric-owner', '-C', rootfs, '-cf', tarball, '.'], timeoutMs: 600_000 });
    const changes = [`LABEL ${LABEL}="${recipe}"`, 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["bash"]'];
    await dockerChecked(runner, ['import', ...changes.flatMap((c) => ['--change', c]), tarball, KEEPALIVED_BASE.tag], env, 900_000);
  } finally {
    await removeTree(runner, dir);
  }
}
