import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, binary)));
}

let aptUpdated = false;

/**
 * The validators are real programs. Install their Debian packages when they are missing and we
 * can (root with apt); otherwise fail with one line that says what to install.
 */
export async function ensureDebianPackages(check: () => boolean, packages: string[], what: string): Promise<void> {
  if (check()) return;
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    throw new Error(`${what} is missing and cannot be installed here (needs root and apt-get): install the Debian packages ${packages.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await execa('apt-get', ['update', '-qq'], { env, timeout: 300_000 });
    aptUpdated = true;
  }
  await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, timeout: 600_000 });
  if (!check()) throw new Error(`${what} is still missing after installing ${packages.join(' ')}`);
}

export const hasNginxStream = () => onPath('nginx') && existsSync('/usr/lib/nginx/modules/ngx_stream_module.so');
export const hasKeepalived = () => onPath('keepalived') && onPath('unshare');

export interface ComposeFlavor {
  name: string;
  file: string;
  args: string[];
}

/** Every compose CLI available: `docker compose` (v2) and `docker-compose` (v1 or v2 standalone). */
export async function composeFlavors(env: NodeJS.ProcessEnv = process.env): Promise<ComposeFlavor[]> {
  const flavors: ComposeFlavor[] = [];
  const v2 = await execa('docker', ['compose', 'version', '--short'], { env, reject: false, timeout: 20_000 });
  if (v2.exitCode === 0) flavors.push({ name: `docker compose ${String(v2.stdout).trim()}`, file: 'docker', args: ['compose'] });
  if (onPath('docker-compose')) {
    const v1 = await execa('docker-compose', ['version', '--short'], { env, reject: false, timeout: 20_000 });
    if (v1.exitCode === 0) flavors.push({ name: `docker-compose ${String(v1.stdout).trim()}`, file: 'docker-compose', args: [] });
  }
  return flavors;
}
