import { DOCKER_HOST_URL } from '../../contract/names.js';
import type { ClusterHandle } from '../cluster-handle.js';

export type Host = ClusterHandle['manifest']['hosts'][number];

/** How to reach the host's engine: a DOCKER_HOST URL, or a docker context by name; nothing for the local engine. */
export function dockerEnv(host: Host): Record<string, string> | undefined {
  if (!host.docker) return undefined;
  return DOCKER_HOST_URL.test(host.docker) ? { DOCKER_HOST: host.docker } : { DOCKER_CONTEXT: host.docker };
}

/** The same, for a person: "through DOCKER_HOST=ssh://root@10.0.0.12", or "on this machine". */
export function reachedVia(host: Host): string {
  const env = dockerEnv(host);
  if (!env) return 'on this machine';
  const [name, value] = Object.entries(env)[0]!;
  return `through ${name}=${value}`;
}

/** "mq2 (10.0.0.12)", or just the name where the manifest has no address (one machine). */
export function hostLabel(host: Host): string {
  return host.address ? `${host.name} (${host.address})` : host.name;
}

/** The last line a failed docker call said, which is where docker and Compose put the reason. */
export function lastLine(text: string): string | undefined {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '').pop();
}
