import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { CommandResult, CommandRunner } from '../../../ops/runner/command.js';
import { ExecaRunner, runChecked } from '../../../ops/runner/execa-runner.js';
import { generateCluster } from '../../../generator/generate.js';
import type { ClusterModel } from '../../../generator/spec/model.js';
import { parseEnvFile } from '../../../contract/env-file.js';
import { removeLeftoverProjects } from './cleanup.js';
import { docker, type DockerEnv } from './docker.js';
import { PROJECT_PREFIX } from './paths.js';
import { isAlive } from './processes.js';

/**
 * A cluster made by the real generator and run by Compose v2: the files the user would get from a
 * spec in the run's folder that names its own Compose project (`rmqt-<label>-<pid>-<random>`, so
 * the harness's leftover sweep finds it after a killed run), and the secrets read back from the
 * generated `.env`.
 */
export interface GeneratedCluster {
  project: string;
  /** `<temp>/<spec name>`: docker-compose.yml, .env, nginx/, keepalived/, rabbitmq/. */
  clusterDir: string;
  model: ClusterModel;
  /** Every variable of the generated .env. */
  secrets: Record<string, string>;
  admin: { user: string; pass: string };
  /** `docker compose -p … -f … --env-file …`; resolves even on a non-zero exit. */
  compose(args: string[], timeoutMs?: number): Promise<CommandResult>;
  composeChecked(args: string[], timeoutMs?: number): Promise<CommandResult>;
  exec(service: string, command: string[], timeoutMs?: number): Promise<CommandResult>;
  /** `up -d`; returns the ms it took. */
  up(timeoutMs?: number): Promise<number>;
  /** down -v --remove-orphans, a label sweep for what that missed, then the temp dir. Idempotent. */
  down(): Promise<void>;
}

/**
 * Temp dirs of runs that were killed before their afterAll (`rmqt-<label>-<pid>-<random>-XXXXXX`);
 * their containers are swept by cleanup.ts, their folders here.
 */
export function removeLeftoverDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^rmqt-.*-(\d+)-[0-9a-f]{6}-[A-Za-z0-9]{6}$/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/**
 * `files` are written beside the spec (name → text), for the paths a spec names relative to its
 * folder (`rabbitmq.definitions`).
 */
export async function openGeneratedCluster(
  label: string,
  spec: object | string,
  env: DockerEnv,
  runner: CommandRunner = new ExecaRunner(),
  files: Record<string, string> = {},
): Promise<GeneratedCluster> {
  removeLeftoverDirs();
  const project = `${PROJECT_PREFIX}${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const root = mkdtempSync(join(tmpdir(), `${project}-`));
  try {
    // the spec names our project (ops runs `compose -p <manifest.project>`, and the leftover sweep
    // finds it by name), and lies in the run's folder like a user's spec: upgrade edits it
    const doc = parseDocument(typeof spec === 'string' ? spec : stringify(spec));
    doc.set('project', project);
    const text = doc.toString();
    // `_` cannot start a cluster name, so this never meets the cluster's folder
    const specDir = join(root, '_spec');
    await mkdir(specDir);
    for (const [name, contents] of Object.entries(files)) await writeFile(join(specDir, name), contents);
    const specPath = join(specDir, `${label}.yaml`);
    await writeFile(specPath, text);
    // as gen does it; an empty environment: every secret is generated into .env, as on a fresh machine
    const { plan, result } = await generateCluster(
      { text, name: `${label}.yaml`, dir: specDir },
      { outDir: root, env: {}, specFileFrom: (name) => relative(join(root, name), specPath) },
    );
    const clusterDir = result.clusterDir;
    const secrets = Object.fromEntries(parseEnvFile(await readFile(join(clusterDir, '.env'), 'utf8')));
    const model = plan.model;
    const user = model.rabbitmq.defaultUser.kind === 'plain' ? model.rabbitmq.defaultUser.value : secrets[model.rabbitmq.defaultUser.variable]!;
    const pass = secrets[model.rabbitmq.defaultPass.variable]!;
    const base = ['compose', '-p', project, '-f', join(clusterDir, 'docker-compose.yml'), '--env-file', join(clusterDir, '.env')];
    const command = (args: string[], timeoutMs = 300_000) => ({
      ...docker([...base, ...args], env, timeoutMs),
      cwd: clusterDir,
      secrets: Object.values(secrets),
    });
    let closed = false;
    const cluster: GeneratedCluster = {
      project,
      clusterDir,
      model,
      secrets,
      admin: { user, pass },
      compose: (args, timeoutMs) => runner.run(command(args, timeoutMs)),
      composeChecked: (args, timeoutMs) => runChecked(runner, command(args, timeoutMs)),
      exec: (service, cmd, timeoutMs = 60_000) => runner.run(command(['exec', '-T', service, ...cmd], timeoutMs)),
      up: async (timeoutMs = 300_000) => {
        const started = Date.now();
        await runChecked(runner, command(['up', '-d'], timeoutMs));
        return Date.now() - started;
      },
      down: async () => {
        if (closed) return;
        closed = true;
        try {
          await runner.run(command(['down', '--volumes', '--remove-orphans', '--timeout', '5'], 180_000));
          await removeLeftoverProjects(env, runner, project);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      },
    };
    return cluster;
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
