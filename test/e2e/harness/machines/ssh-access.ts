import { appendFileSync, chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../../../../ops/runner/command.js';
import { runChecked } from '../../../../ops/runner/execa-runner.js';

/**
 * What an operator's laptop has before `rmq-compose deploy` can reach the machines: a key pair the
 * machines accept, their host keys in known_hosts (strict checking stays on), and a Docker client
 * config with the Compose plugin and named contexts. OpenSSH reads ~/.ssh from the passwd entry,
 * not $HOME, so the run's client config reaches ssh through a wrapper first on PATH (what the
 * operator's own ~/.ssh/config would do); the machine's /root/.ssh is never touched.
 */
export interface SshAccess {
  dir: string;
  publicKey: string;
  /** Prepend to PATH: holds the `ssh` wrapper. */
  binDir: string;
  /** DOCKER_CONFIG for the product: Compose plugin and the run's docker contexts. */
  dockerConfig: string;
  knownHosts: string;
  trust(address: string, hostPublicKey: string): void;
}

export async function createSshAccess(runner: CommandRunner, dir: string, composePluginDir?: string): Promise<SshAccess> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = join(dir, 'id_ed25519');
  await runChecked(runner, { file: 'ssh-keygen', args: ['-q', '-t', 'ed25519', '-N', '', '-C', 'rmq-compose-e2e', '-f', key], timeoutMs: 15_000 });
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '', { mode: 0o600 });
  const config = join(dir, 'ssh_config');
  writeFileSync(
    config,
    [
      'Host *',
      `  IdentityFile ${key}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  ConnectTimeout 10',
      '  ServerAliveInterval 5',
      '  ServerAliveCountMax 2',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  writeFileSync(join(binDir, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${config} "$@"\n`);
  chmodSync(join(binDir, 'ssh'), 0o755);
  const dockerConfig = join(dir, 'docker-config');
  mkdirSync(dockerConfig);
  if (composePluginDir) symlinkSync(composePluginDir, join(dockerConfig, 'cli-plugins'));
  return {
    dir,
    publicKey: readFileSync(`${key}.pub`, 'utf8'),
    binDir,
    dockerConfig,
    knownHosts,
    trust: (address, hostPublicKey) => appendFileSync(knownHosts, `${address} ${hostPublicKey.trim().split(' ').slice(0, 2).join(' ')}\n`),
  };
}
