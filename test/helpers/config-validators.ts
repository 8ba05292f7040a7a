import { execa } from 'execa';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ComposeFlavor } from './system-tools.js';

/**
 * The real tools a generated cluster folder goes through (test/integration/validators.test.ts,
 * spec-property.test.ts): nginx -t, keepalived -t, compose config. `work` is a scratch folder of
 * the test's own for the scripts and copies they need.
 */

/** nginx -t with the stream module; a config that terminates TLS is checked where the container has its certificate. */
export async function nginxTest(confPath: string, work: string) {
  // stdout as in a container (a pipe or file), not the test runner's socket: access_log goes there
  const tlsDir = join(dirname(dirname(confPath)), 'tls');
  if (!(await readFile(confPath, 'utf8')).includes('ssl_certificate '))
    return execa('nginx', ['-t', '-q', '-c', confPath], { reject: false, timeout: 30_000, stdout: 'ignore' });
  // terminate: nginx -t loads the certificate and key where the container has them (/etc/nginx/tls)
  const script = join(work, 'nginx-in-namespace.sh');
  await writeFile(script, 'set -eu\nmkdir -p /etc/nginx/tls\nmount --bind "$1" /etc/nginx/tls\nexec nginx -t -q -c "$2"\n');
  return execa('unshare', ['-m', 'bash', script, tlsDir, confPath], { reject: false, timeout: 30_000, stdout: 'ignore' });
}

/** Runs the generated start.sh with `-t` in a private mount namespace laid out like the container. */
export async function keepalivedTest(keepalivedDir: string, instance: string, work: string) {
  const etc = await mkdtemp(join(work, 'etc-keepalived-'));
  await cp(join(keepalivedDir, 'start.sh'), join(etc, 'start.sh'));
  await cp(join(keepalivedDir, 'check-nginx.sh'), join(etc, 'check-nginx.sh'));
  await cp(join(keepalivedDir, `${instance}.conf`), join(etc, 'keepalived.conf'));
  const script = join(work, 'in-namespace.sh');
  await writeFile(script, 'set -eu\nmount -t tmpfs tmpfs /run\nmount --bind "$1" /etc/keepalived\nexec sh /etc/keepalived/start.sh -t\n');
  return {
    etc,
    result: await execa('unshare', ['-m', 'bash', script, etc], { reject: false, timeout: 30_000, env: { ...process.env, KEEPALIVED_AUTH_PASS: 'testpass' } }),
  };
}

/** `<compose> -p <project> --env-file <dir>/.env -f <file> config -q` in the cluster folder `dir`. */
export function composeConfig(flavor: ComposeFlavor, project: string, dir: string, composeFile: string) {
  const args = [...flavor.args, '-p', project, '--env-file', join(dir, '.env'), '-f', join(dir, composeFile), 'config', '-q'];
  return execa(flavor.file, args, { reject: false, timeout: 60_000, cwd: dir, env: flavor.env });
}
