import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../../../ops/runner/command.js';
import { ExecaRunner, runChecked } from '../../../ops/runner/execa-runner.js';
import { ensureAptPackages } from './apt.js';
import { debianArchive } from './apt-sources.js';
import { docker, dockerChecked, type DockerEnv } from './docker.js';
import { CUSTOMIZE_SH, DEFAULTS_CONF, ENTRYPOINT_SH, PACKAGES, RECIPES, RECIPE_LABEL, importChanges, recipeHash, type ImageRecipe } from './image-recipe.js';
import { withFileLock } from './lock.js';
import { PROMETHEUS_CUSTOMIZE_SH, PROMETHEUS_PACKAGES, PROMETHEUS_RECIPE, prometheusImportChanges, prometheusRecipeHash } from './prometheus-image-recipe.js';
import { removeTree } from './mounts.js';
import { paths } from './paths.js';
import { isAlive } from './processes.js';

export interface TestImage {
  /** What compose files should name as `image:`. */
  ref: string;
  /** RabbitMQ version the recipe installs (unknown for a user-supplied image). */
  rabbitmqVersion?: string;
  /** 'cached' (recipe unchanged), 'built' (now), or 'override' (RMQ_TEST_IMAGE_*). */
  source: 'cached' | 'built' | 'override';
  buildMs?: number;
  sizeBytes: number;
}

export interface TestImages {
  v3: TestImage;
  v4: TestImage;
  v43: TestImage;
}

const BUILD_LOCK_TIMEOUT_MS = 30 * 60_000;

/**
 * The RabbitMQ images the e2e tests run (3.10.8 from bookworm, 4.0.5 from trixie, 4.3.6 from
 * sid), built locally from Debian packages when missing or when their recipe changed (no
 * container registry is reachable). All are built side by side: debootstrap mostly waits on the
 * network.
 */
export async function ensureTestImages(env: DockerEnv, runner: CommandRunner = new ExecaRunner()): Promise<TestImages> {
  const lock = join(paths.cache, 'images.lock');
  return withFileLock(lock, BUILD_LOCK_TIMEOUT_MS, async () => {
    await removeStaleBuilds(runner);
    // allSettled: a failed build must not leave the other running past the test run
    const [v3, v4, v43] = await Promise.allSettled([
      ensureImage(rabbitmqImage(RECIPES.v3), env, runner),
      ensureImage(rabbitmqImage(RECIPES.v4), env, runner),
      ensureImage(rabbitmqImage(RECIPES.v43), env, runner),
    ]);
    for (const built of [v3, v4, v43]) if (built.status === 'rejected') throw built.reason;
    return {
      v3: (v3 as PromiseFulfilledResult<TestImage>).value,
      v4: (v4 as PromiseFulfilledResult<TestImage>).value,
      v43: (v43 as PromiseFulfilledResult<TestImage>).value,
    };
  });
}

/**
 * The Prometheus image the monitoring e2e test runs (Debian trixie's `prometheus` package),
 * built like the RabbitMQ ones but only when a test asks for it, so the other suites' setup
 * does not wait for it. RMQ_TEST_IMAGE_PROMETHEUS names another image already in the engine.
 */
export async function ensurePrometheusImage(env: DockerEnv, runner: CommandRunner = new ExecaRunner()): Promise<TestImage> {
  return withFileLock(join(paths.cache, 'prometheus-image.lock'), BUILD_LOCK_TIMEOUT_MS, async () => {
    await removeStaleBuilds(runner);
    return ensureImage(prometheusImageBuild(), env, runner);
  });
}

/** What ensureImage needs of an image: how to find an override, its recipe hash, how to build it. */
interface ImageToEnsure {
  tag: string;
  overrideVar: string;
  hash: string;
  rabbitmqVersion?: string;
  build: RootfsBuild;
}

/** A root file system from Debian packages, customised in a chroot, imported as an image. */
interface RootfsBuild {
  suite: string;
  /** Folder name under paths.builds, ending in `-<pid>` (removeStaleBuilds reads it). */
  dirName: string;
  packages: readonly string[];
  /** Written to /tmp/recipe/ in the root; `customize.sh` among them runs in the chroot. */
  files: Readonly<Record<string, string>>;
  /** `docker import --change` lines. */
  changes: string[];
}

function rabbitmqImage(recipe: ImageRecipe): ImageToEnsure {
  const hash = recipeHash(recipe);
  return {
    tag: recipe.tag,
    overrideVar: recipe.overrideVar,
    hash,
    rabbitmqVersion: recipe.rabbitmqVersion,
    build: {
      suite: recipe.suite,
      dirName: `${recipe.suite}-${process.pid}`,
      packages: PACKAGES,
      files: { 'docker-entrypoint.sh': ENTRYPOINT_SH, '10-defaults.conf': DEFAULTS_CONF, 'customize.sh': CUSTOMIZE_SH },
      changes: importChanges(hash),
    },
  };
}

function prometheusImageBuild(): ImageToEnsure {
  const r = PROMETHEUS_RECIPE;
  const hash = prometheusRecipeHash();
  return {
    tag: r.tag,
    overrideVar: r.overrideVar,
    hash,
    build: {
      suite: r.suite,
      dirName: `prometheus-${r.suite}-${process.pid}`,
      packages: PROMETHEUS_PACKAGES,
      files: { 'customize.sh': PROMETHEUS_CUSTOMIZE_SH },
      changes: prometheusImportChanges(hash),
    },
  };
}

async function ensureImage(image: ImageToEnsure, env: DockerEnv, runner: CommandRunner): Promise<TestImage> {
  const override = process.env[image.overrideVar];
  if (override) {
    const found = await inspect(runner, env, override);
    // no registry is reachable from the tests: an image that is not in the engine cannot be pulled
    if (!found)
      throw new Error(
        `${image.overrideVar}=${override} is not in the test engine (${env.DOCKER_HOST ?? 'default'}); docker load it there first, or unset ${image.overrideVar} to build ${image.tag}`,
      );
    return { ref: override, source: 'override', sizeBytes: found.size };
  }
  const current = await inspect(runner, env, image.tag);
  if (current?.recipe === image.hash) {
    return { ref: image.tag, rabbitmqVersion: image.rabbitmqVersion, source: 'cached', sizeBytes: current.size };
  }
  const started = Date.now();
  await build(image.tag, image.build, env, runner);
  if (current) {
    // the previous build is now untagged; it is only dead weight in the cache
    await runner.run(docker(['image', 'rm', current.id], env, 60_000));
  }
  const built = await inspect(runner, env, image.tag);
  if (built?.recipe !== image.hash) throw new Error(`${image.tag} was imported but does not carry recipe ${image.hash}`);
  return { ref: image.tag, rabbitmqVersion: image.rabbitmqVersion, source: 'built', buildMs: Date.now() - started, sizeBytes: built.size };
}

async function inspect(runner: CommandRunner, env: DockerEnv, ref: string): Promise<{ id: string; size: number; recipe?: string } | undefined> {
  // `with`: an image made by `docker import` without --change LABEL has no labels at all, and
  // `index` on that nil map fails the whole inspect
  const format = `{{.Id}} {{.Size}} {{with .Config.Labels}}{{index . "${RECIPE_LABEL}"}}{{end}}`;
  const result = await runner.run(docker(['image', 'inspect', '--format', format, ref], env, 30_000));
  if (result.exitCode !== 0) return undefined;
  const [id, size, recipe] = result.stdout.trim().split(' ');
  return { id: id!, size: Number(size), recipe: recipe && recipe !== '<no value>' ? recipe : undefined };
}

async function build(tag: string, recipe: RootfsBuild, env: DockerEnv, runner: CommandRunner): Promise<void> {
  await ensureAptPackages(runner, ['debootstrap'], ['debootstrap'], `building ${tag}`);
  const archive = debianArchive();
  const dir = join(paths.builds, recipe.dirName);
  const rootfs = join(dir, 'rootfs');
  const debs = join(paths.debootstrapDebs, recipe.suite);
  try {
    await removeTree(runner, dir);
    mkdirSync(rootfs, { recursive: true });
    mkdirSync(debs, { recursive: true });
    await runChecked(
      runner,
      {
        file: 'debootstrap',
        args: [
          '--variant=minbase',
          `--include=${recipe.packages.join(',')}`,
          `--keyring=${archive.keyring}`,
          `--cache-dir=${debs}`,
          recipe.suite,
          rootfs,
          archive.uri,
        ],
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        timeoutMs: 20 * 60_000,
      },
      `debootstrap ${recipe.suite}`,
    );
    mkdirSync(join(rootfs, 'tmp/recipe'), { recursive: true });
    for (const [name, contents] of Object.entries(recipe.files)) writeFileSync(join(rootfs, 'tmp/recipe', name), contents);
    await runChecked(runner, { file: 'chroot', args: [rootfs, '/bin/sh', '/tmp/recipe/customize.sh'], timeoutMs: 300_000 }, `customizing ${tag}`);
    // a file rather than a pipe: the runner connects no two programs; the disk cost is brief
    const tarball = join(dir, 'rootfs.tar');
    await runChecked(runner, { file: 'tar', args: ['--numeric-owner', '-C', rootfs, '-cf', tarball, '.'], timeoutMs: 600_000 });
    const changes = recipe.changes.flatMap((change) => ['--change', change]);
    await dockerChecked(runner, ['import', ...changes, tarball, tag], env, 900_000);
  } finally {
    await removeTree(runner, dir);
  }
}

/** Build folders of a killed run (named after a pid that is gone), with any mounts debootstrap left. */
async function removeStaleBuilds(runner: CommandRunner): Promise<void> {
  mkdirSync(paths.builds, { recursive: true });
  for (const name of readdirSync(paths.builds)) {
    const pid = Number(name.split('-').pop());
    if (!isAlive(pid) || pid === process.pid) await removeTree(runner, join(paths.builds, name));
  }
}
