import { execa } from 'execa';
import { ExecaRunner } from '../../ops/runner/execa-runner.js';
import { ensureInstalled, onPath } from '../e2e/harness/apt.js';
import { existsSync } from 'node:fs';

export { onPath };

/**
 * The validators are real programs. Install their Debian packages when they are missing and we
 * can (root with apt); otherwise fail with one line that says what to install. Goes through the
 * e2e harness's apt queue: apt allows one user at a time.
 */
export function ensureDebianPackages(check: () => boolean, packages: string[], what: string): Promise<void> {
  return ensureInstalled(new ExecaRunner(), check, packages, what);
}

export const hasNginxStream = () => onPath('nginx') && existsSync('/usr/lib/nginx/modules/ngx_stream_module.so');
export const hasKeepalived = () => onPath('keepalived') && onPath('unshare');

/**
 * The Debian package with promtool: `prometheus` up to bookworm, its own `promtool` package from
 * trixie on (the `prometheus` package there no longer has it). Asks apt which one it knows.
 */
export async function promtoolPackage(): Promise<string> {
  const policy = await execa('apt-cache', ['policy', 'promtool'], { reject: false, timeout: 30_000 });
  return /Candidate: (?!\(none\))/.test(String(policy.stdout)) ? 'promtool' : 'prometheus';
}

export interface ComposeFlavor {
  name: string;
  file: string;
  args: string[];
  /** DOCKER_CONFIG when the v2 plugin lives in the test cache rather than the system. */
  env: Record<string, string>;
}

/** Every compose CLI available: `docker compose` (v2) and `docker-compose` (v1 or v2 standalone). */
export async function composeFlavors(pluginEnv: Record<string, string> = {}): Promise<ComposeFlavor[]> {
  const flavors: ComposeFlavor[] = [];
  const v2 = await execa('docker', ['compose', 'version', '--short'], { env: pluginEnv, reject: false, timeout: 20_000 });
  if (v2.exitCode === 0) flavors.push({ name: `docker compose ${String(v2.stdout).trim()}`, file: 'docker', args: ['compose'], env: pluginEnv });
  if (onPath('docker-compose')) {
    const v1 = await execa('docker-compose', ['version', '--short'], { reject: false, timeout: 20_000 });
    if (v1.exitCode === 0) flavors.push({ name: `docker-compose ${String(v1.stdout).trim()}`, file: 'docker-compose', args: [], env: {} });
  }
  return flavors;
}
