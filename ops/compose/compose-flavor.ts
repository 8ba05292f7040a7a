import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../runner/command.js';
import { DockerUnavailableError } from '../errors.js';

/** How to invoke Compose on this machine: v2 as a docker plugin, or the v1 Python binary. */
export interface ComposeFlavor {
  version: 1 | 2;
  file: string;
  /** Arguments before the compose ones ("compose" for v2). */
  prefix: readonly string[];
}

const V2: ComposeFlavor = { version: 2, file: 'docker', prefix: ['compose'] };
const V1: ComposeFlavor = { version: 1, file: 'docker-compose', prefix: [] };

// One detection per runner (i.e. per process in practice): it costs two process starts.
const cache = new WeakMap<CommandRunner, Promise<ComposeFlavor>>();

/** Prefer `docker compose` (v2); use `docker-compose` (v1) only when that is all there is. */
export function detectComposeFlavor(runner: CommandRunner): Promise<ComposeFlavor> {
  let found = cache.get(runner);
  if (!found) {
    found = detect(runner);
    cache.set(runner, found);
    // a failed detection is not cached: the user may install compose and retry in a long-lived bot
    found.catch(() => cache.delete(runner));
  }
  return found;
}

/**
 * Where the docker CLI looks for plugins on Linux ($DOCKER_CONFIG/cli-plugins first). Finding the
 * Compose plugin there saves starting it once per process just to ask its version (~70 ms).
 */
function composePluginDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const config = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  return [join(config, 'cli-plugins'), '/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];
}

function pluginOnDisk(env: NodeJS.ProcessEnv): boolean {
  return composePluginDirs(env).some((dir) => {
    try {
      accessSync(join(dir, 'docker-compose'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function detect(runner: CommandRunner): Promise<ComposeFlavor> {
  if (runner.findsPluginsOnDisk === true && pluginOnDisk(process.env)) return V2;
  const v2 = await runner.run({ file: 'docker', args: ['compose', 'version', '--short'], timeoutMs: 15_000 });
  if (v2.exitCode === 0 && !v2.timedOut) return V2;
  const v1 = await runner.run({ file: 'docker-compose', args: ['version', '--short'], timeoutMs: 15_000 });
  if (v1.exitCode === 0 && !v1.timedOut) return V1;
  throw new DockerUnavailableError(
    `Docker Compose is not available: \`docker compose\` said "${firstLine(v2.stderr || v2.stdout)}" and \`docker-compose\` said "${firstLine(v1.stderr || v1.stdout)}". Install the Docker Compose plugin (v2).`,
  );
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) || 'nothing';
}
