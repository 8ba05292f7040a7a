import type { Command, CommandResult, CommandRunner } from '../../../ops/runner/command.js';
import { runChecked } from '../../../ops/runner/execa-runner.js';

/** Env for a docker client aimed at one engine (and, when set, one config dir with the Compose plugin). */
export type DockerEnv = Readonly<Record<string, string>>;

export function docker(args: string[], env: DockerEnv, timeoutMs = 60_000): Command {
  return { file: 'docker', args, env, timeoutMs };
}

export async function dockerChecked(runner: CommandRunner, args: string[], env: DockerEnv, timeoutMs = 60_000): Promise<CommandResult> {
  return runChecked(runner, docker(args, env, timeoutMs), `docker ${args.slice(0, 2).join(' ')}`);
}

/** Server version when the engine answers, else undefined (the client negotiates the API version down). */
export async function serverVersion(runner: CommandRunner, env: DockerEnv): Promise<string | undefined> {
  const info = await runner.run(docker(['version', '--format', '{{.Server.Version}}'], env, 10_000));
  const version = info.stdout.trim();
  return info.exitCode === 0 && version ? version : undefined;
}
