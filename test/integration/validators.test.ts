import { execa } from 'execa';
import { specPath } from '../helpers/spec-files.js';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { generateCluster } from '../../generator/generate.js';
import { ensureComposeV2 } from '../e2e/harness/compose-cli.js';
import { composeFlavors, ensureDebianPackages, hasKeepalived, hasNginxStream, onPath, type ComposeFlavor } from '../helpers/system-tools.js';
import { composeConfig, keepalivedTest as keepalivedTestIn, nginxTest as nginxTestIn } from '../helpers/config-validators.js';

/**
 * Every generated file of the issue specs (and of `remote`, whose machines are reached through
 * `docker:`, `boot-definitions`, which mounts a definitions file, and the two with Prometheus,
 * whose own files promtool checks in prometheus-validators.test.ts) goes through the real tools:
 * nginx -t with the stream module, keepalived -t, and docker compose / docker-compose config.
 */
const SPECS = ['seed', 'quick', 'prod', 'remote', 'boot-definitions', 'monitoring', 'monitoring-hosts', 'tls-hosts', 'tls-terminate'];
/** Compose files carrying their files as `configs:` with `content:` need Compose v2.23.1+; v1 must not be asked. */
const needsV2 = (text: string) => /^configs:$/m.test(text);
let work: string;
let flavors: ComposeFlavor[] = [];
const generated = new Map<string, { dir: string; files: string[] }>();

beforeAll(async () => {
  await ensureDebianPackages(hasNginxStream, ['nginx-light', 'libnginx-mod-stream'], 'nginx with the stream module');
  await ensureDebianPackages(hasKeepalived, ['keepalived', 'util-linux'], 'keepalived');
  // both CLIs users may have: v2 (the e2e harness fetches the plugin when the system has none;
  // `config` needs no engine) and the standalone docker-compose (v1 on bookworm)
  const v2 = await ensureComposeV2(process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock');
  await ensureDebianPackages(() => onPath('docker-compose'), ['docker-compose'], 'docker-compose');
  flavors = await composeFlavors(v2.dockerConfig ? { DOCKER_CONFIG: v2.dockerConfig } : {});
  work = await mkdtemp(join(tmpdir(), 'rmq-validators-'));
  for (const name of SPECS) {
    // as gen does it: the files a spec names are read beside it
    const path = specPath(name);
    const { plan, result } = await generateCluster({ text: await readFile(path, 'utf8'), name: basename(path), dir: dirname(path) }, { outDir: work, env: {} });
    generated.set(name, { dir: result.clusterDir, files: plan.files.map((f) => f.path) });
  }
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const filesOf = (spec: string, pattern: RegExp) => generated.get(spec)!.files.filter((f) => pattern.test(f));

const nginxTest = (confPath: string) => nginxTestIn(confPath, work);
const keepalivedTest = (keepalivedDir: string, instance: string) => keepalivedTestIn(keepalivedDir, instance, work);

describe.each(SPECS)('spec %s', (spec) => {
  test('nginx -t accepts every nginx.conf', async () => {
    const confs = filesOf(spec, /nginx\/nginx\.conf$/);
    expect(confs.length).toBeGreaterThan(0);
    for (const conf of confs) {
      const result = await nginxTest(join(generated.get(spec)!.dir, conf));
      expect({ conf, stderr: String(result.stderr), exitCode: result.exitCode }).toEqual({ conf, stderr: '', exitCode: 0 });
    }
  });

  test('keepalived -t accepts every instance config (where there is a VIP)', async () => {
    const confs = filesOf(spec, /keepalived\/[^/]+\.conf$/);
    if (spec === 'quick') expect(confs).toEqual([]);
    for (const conf of confs) {
      const instance = conf
        .split('/')
        .pop()!
        .replace(/\.conf$/, '');
      const { result } = await keepalivedTest(dirname(join(generated.get(spec)!.dir, conf)), instance);
      expect({ conf, output: `${String(result.stdout)}${String(result.stderr)}`, exitCode: result.exitCode }).toEqual({ conf, output: '', exitCode: 0 });
    }
  });

  test('docker compose config accepts every compose file, with every compose CLI here', async () => {
    expect(flavors.map((f) => f.file).sort()).toEqual(['docker', 'docker-compose']);
    const { dir } = generated.get(spec)!;
    for (const composeFile of filesOf(spec, /docker-compose\.yml$/)) {
      const inline = needsV2(await readFile(join(dir, composeFile), 'utf8'));
      if (spec === 'remote' || spec === 'monitoring-hosts') expect({ composeFile, inline }).toEqual({ composeFile, inline: true });
      for (const flavor of flavors.filter((f) => !inline || f.file === 'docker')) {
        const result = await composeConfig(flavor, `rmq-${spec}`, dir, composeFile);
        expect({ composeFile, flavor: flavor.name, stderr: String(result.stderr).trim(), exitCode: result.exitCode }).toEqual({
          composeFile,
          flavor: flavor.name,
          stderr: '',
          exitCode: 0,
        });
      }
    }
  }, 120_000);
});

describe('the validators do bite', () => {
  test('nginx -t rejects a broken stream block', async () => {
    const conf = join(generated.get('seed')!.dir, 'nginx', 'nginx.conf');
    const broken = join(work, 'broken-nginx.conf');
    await writeFile(broken, (await readFile(conf, 'utf8')).replace('proxy_timeout 60s;', 'proxy_timeout sixty;'));
    expect((await nginxTest(broken)).exitCode).not.toBe(0);
  });

  test('keepalived -t rejects an out-of-range virtual_router_id', async () => {
    const dir = join(generated.get('seed')!.dir, 'keepalived');
    const copy = await mkdtemp(join(work, 'broken-keepalived-'));
    for (const f of await readdir(dir)) await cp(join(dir, f), join(copy, f), { recursive: true });
    await writeFile(join(copy, 'lb1.conf'), (await readFile(join(dir, 'lb1.conf'), 'utf8')).replace('virtual_router_id 51', 'virtual_router_id 300'));
    const { result } = await keepalivedTest(copy, 'lb1');
    expect(result.exitCode).not.toBe(0);
    expect(String(result.stderr)).toMatch(/outside range|not valid/);
  });

  test('compose config rejects a file with a missing secret', async () => {
    const { dir } = generated.get('quick')!;
    const emptyEnv = join(work, 'empty.env');
    await writeFile(emptyEnv, '');
    for (const flavor of flavors) {
      const result = await execa(
        flavor.file,
        [...flavor.args, '-p', 'rmq-quick', '--env-file', emptyEnv, '-f', join(dir, 'docker-compose.yml'), 'config', '-q'],
        {
          reject: false,
          timeout: 60_000,
          cwd: work,
          env: { PATH: process.env.PATH ?? '', ...flavor.env },
          extendEnv: false,
        },
      );
      expect(result.exitCode).not.toBe(0);
      // Compose v2 names whichever missing variable it meets first (Go map order): any of them
      expect(String(result.stderr)).toMatch(/(RABBITMQ_DEFAULT_PASS|RABBITMQ_ERLANG_COOKIE) is not set; rmq-compose gen writes it to \.env/);
    }
  }, 60_000);
});
