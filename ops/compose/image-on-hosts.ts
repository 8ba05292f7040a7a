import type { CommandRunner } from '../runner/command.js';
import { RefusedError } from '../errors.js';
import { dockerEnv, hostLabel, lastLine, type Host } from './docker-endpoint.js';

/**
 * Makes sure every host that will run `image` has it before a node is stopped for it: inspected
 * first, pulled when missing (all hosts at once). A host that can neither find nor pull it stops
 * the upgrade with nothing changed, rather than leaving a node down on a failed pull.
 */
export async function ensureImageOnHosts(runner: CommandRunner, hosts: readonly Host[], image: string, secrets: readonly string[]): Promise<Map<string, 'present' | 'pulled'>> {
  const results = await Promise.all(
    hosts.map(async (host): Promise<[string, 'present' | 'pulled' | string]> => {
      const env = dockerEnv(host);
      const inspect = await runner.run({ file: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', image], timeoutMs: 30_000, ...(env ? { env } : {}), secrets });
      if (inspect.exitCode === 0 && !inspect.timedOut) return [host.name, 'present'];
      const pull = await runner.run({ file: 'docker', args: ['pull', image], timeoutMs: 900_000, ...(env ? { env } : {}), secrets });
      if (pull.exitCode === 0 && !pull.timedOut) return [host.name, 'pulled'];
      return [host.name, `${hostLabel(host)}: ${image} is not there and cannot be pulled (${pull.timedOut ? 'timed out after 15 min' : lastLine(pull.stderr || pull.stdout) ?? `exit ${pull.exitCode}`})`];
    }),
  );
  const failed = results.filter(([, r]) => r !== 'present' && r !== 'pulled').map(([, r]) => r);
  if (failed.length > 0) throw new RefusedError([`the new image is not available on every machine; nothing was changed:`, ...failed.map((f) => `  ${f}`), 'Load it there (docker load, or a registry the machines can reach) and run upgrade again.'].join('\n'));
  return new Map(results as Array<[string, 'present' | 'pulled']>);
}
