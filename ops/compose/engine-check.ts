import { DockerUnavailableError } from '../errors.js';
import type { CommandRunner } from '../runner/command.js';
import { dockerEnv, hostLabel, lastLine, reachedVia, type Host } from './docker-endpoint.js';

/** An ssh that never answers (a dropped SYN, a prompt nobody sees) must not hold deploy up. */
export const ENGINE_CHECK_MS = 20_000;

/**
 * Asks every machine's engine for its version, all at once, before anything is changed: a
 * deploy that would stop at the fourth machine of five stops here instead, with every
 * unreachable machine named. Resolves with each host's server version.
 */
export async function checkEngines(runner: CommandRunner, hosts: readonly Host[], secrets: readonly string[]): Promise<Map<string, string>> {
  const results = await Promise.all(
    hosts.map(async (host) => {
      const r = await runner.run({
        file: 'docker',
        args: ['version', '--format', '{{.Server.Version}}'],
        timeoutMs: ENGINE_CHECK_MS,
        ...(dockerEnv(host) ? { env: dockerEnv(host) } : {}),
        secrets,
      });
      const version = r.stdout.trim();
      if (r.exitCode === 0 && !r.timedOut && version !== '') return { host, version };
      const why = r.timedOut ? `no answer within ${ENGINE_CHECK_MS / 1000} s` : (lastLine(r.stderr || r.stdout) ?? `docker version exited with code ${r.exitCode}`).slice(0, 300);
      return { host, failure: `${hostLabel(host)}: cannot reach the Docker engine ${reachedVia(host)}: ${why}` };
    }),
  );
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : []));
  if (failures.length > 0) {
    throw new DockerUnavailableError(
      [
        `cannot reach the Docker engine of ${failures.length} of ${hosts.length} machine${hosts.length === 1 ? '' : 's'}; nothing was changed:`,
        ...failures.map((f) => `  ${f}`),
        'Each must answer `docker version` from here (for ssh://: key login and known_hosts already set up for that user), then run deploy again.',
      ].join('\n'),
    );
  }
  return new Map(results.map((r) => [r.host.name, r.version!]));
}
