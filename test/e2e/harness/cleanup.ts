import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandResult, CommandRunner } from '../../../ops/runner/command.js';
import { ExecaRunner, runChecked } from '../../../ops/runner/execa-runner.js';
import { docker, type DockerEnv } from './docker.js';
import { PROJECT_PREFIX } from './paths.js';
import { isAlive } from './processes.js';

const PROJECT_LABEL = 'com.docker.compose.project';

/** The pid of the test process that created a project, from its name (rmqt-<label>-<pid>-<random>). */
function ownerPid(project: string): number | undefined {
  const pid = Number(project.split('-').at(-2));
  return Number.isInteger(pid) ? pid : undefined;
}

/**
 * Removes containers (with their anonymous volumes), networks and volumes of every compose project
 * named `rmqt-*` whose creating process is gone (or only of `project`): what a killed test run
 * leaves behind. Projects of a live run (another jest worker on the same engine) are spared.
 * Compose labels what it creates with the project name, v1 and v2 alike.
 */
export async function removeLeftoverProjects(env: DockerEnv, runner: CommandRunner = new ExecaRunner(), project?: string): Promise<string[]> {
  const ours = (name: string) => {
    if (project) return name === project;
    const pid = ownerPid(name);
    return name.startsWith(PROJECT_PREFIX) && (pid === undefined || !isAlive(pid));
  };
  const list = async (args: string[]) => {
    const result = await runChecked(
      runner,
      docker([...args, '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.ID}}\t{{.Label "${PROJECT_LABEL}"}}`], env, 30_000),
    );
    return result.stdout
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([id, name]) => id && name && ours(name))
      .map(([id, name]) => ({ id: id!, name: name! }));
  };
  const containers = await list(['ps', '-a']);
  if (containers.length > 0) await runner.run(docker(['rm', '--force', '--volumes', ...containers.map((c) => c.id)], env, 120_000));
  const networks = await list(['network', 'ls']);
  if (networks.length > 0) await runner.run(docker(['network', 'rm', ...networks.map((n) => n.id)], env, 60_000));
  // a migration's link network (ops/migration/link-network.ts) carries blue's project in its own label
  const links = await runChecked(
    runner,
    docker(['network', 'ls', '--filter', 'label=io.rmq-compose.migration', '--format', '{{.ID}}\t{{.Label "io.rmq-compose.migration"}}'], env, 30_000),
  );
  const linkIds = links.stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter(([id, name]) => id && name && ours(name))
    .map(([id]) => id!);
  if (linkIds.length > 0) await runner.run(docker(['network', 'rm', ...linkIds], env, 60_000));
  const volumes = await listVolumes(runner, env, ours);
  if (volumes.length > 0) await runner.run(docker(['volume', 'rm', '--force', ...volumes], env, 60_000));
  return [...new Set([...containers, ...networks].map((x) => x.name))];
}

/** `docker volume ls` has no .ID: a volume's name is its id. */
async function listVolumes(runner: CommandRunner, env: DockerEnv, ours: (name: string) => boolean): Promise<string[]> {
  const result = await runChecked(
    runner,
    docker(['volume', 'ls', '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.Name}}\t{{.Label "${PROJECT_LABEL}"}}`], env, 30_000),
  );
  return result.stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([name, project]) => name && project && ours(project))
    .map(([name]) => name!);
}

export type ProjectFiles = Record<string, string | { content: string; mode: number }>;

export interface ComposeProject {
  name: string;
  dir: string;
  env: DockerEnv;
  /** `docker compose -p <name> <args>` in the project dir; resolves even on a non-zero exit. */
  compose(args: string[], timeoutMs?: number): Promise<CommandResult>;
  /** Same, throws CommandFailedError unless it exits 0. */
  composeChecked(args: string[], timeoutMs?: number): Promise<CommandResult>;
  /** `down -v --remove-orphans`, then a label sweep if that left anything, then the temp dir. Idempotent. */
  down(): Promise<void>;
}

/**
 * A compose project in a fresh temp dir holding `files` (compose.yaml and whatever it mounts), with
 * a unique `rmqt-<label>-<pid>-<random>` name. Pair with `down()` in a finally/afterAll, or use
 * `withComposeProject`.
 */
export async function openComposeProject(
  label: string,
  files: ProjectFiles,
  env: DockerEnv,
  runner: CommandRunner = new ExecaRunner(),
): Promise<ComposeProject> {
  const name = `${PROJECT_PREFIX}${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  for (const [path, file] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, typeof file === 'string' ? file : file.content);
    if (typeof file !== 'string') chmodSync(target, file.mode);
  }
  const command = (args: string[], timeoutMs = 300_000) => docker(['compose', '-p', name, ...args], env, timeoutMs);
  let closed = false;
  return {
    name,
    dir,
    env,
    compose: (args, timeoutMs) => runner.run({ ...command(args, timeoutMs), cwd: dir }),
    composeChecked: (args, timeoutMs) => runChecked(runner, { ...command(args, timeoutMs), cwd: dir }),
    down: async () => {
      if (closed) return;
      closed = true;
      try {
        await runner.run({ ...command(['down', '--volumes', '--remove-orphans', '--timeout', '5'], 180_000), cwd: dir });
        // the label sweep catches what `down` cannot: a compose file that no longer parses, a
        // `down` that timed out, containers a test created by hand with the project label
        await removeLeftoverProjects(env, runner, name);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Runs `fn` with an open project and takes it down afterwards, whether `fn` passed or threw. */
export async function withComposeProject<T>(
  label: string,
  files: ProjectFiles,
  env: DockerEnv,
  fn: (project: ComposeProject) => Promise<T>,
  runner: CommandRunner = new ExecaRunner(),
): Promise<T> {
  const project = await openComposeProject(label, files, env, runner);
  try {
    return await fn(project);
  } finally {
    await project.down();
  }
}
