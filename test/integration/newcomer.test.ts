import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';
import { cleanEnv } from '../helpers/cli.js';

/**
 * rmq-compose as a newcomer gets it: the npm package (`npm pack`, what `npm publish` would
 * upload), unpacked outside the repository with no node_modules anywhere above it, and the
 * README's quick start run from it word for word. Nothing is installed from a registry.
 *
 * `npm pack --ignore-scripts`: the package is made from the dist/ that `npm test` built first.
 * Letting `prepare` build again here would rebuild dist/bundle under the other test files that
 * run the CLI at the same time. (`npm pack` with `prepare` works offline too: it is `npm run
 * build`, tsc and esbuild, both local.)
 */
const SLOW = 240_000;

let work: string;
let pkg: string;
let packed: string[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rmq-compose-newcomer-'));
  const npmEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: work,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: packageRoot(),
    env: npmEnv,
    extendEnv: false,
    timeout: SLOW,
  });
  const [info] = JSON.parse(String(pack.stdout)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = info!.files.map((f) => f.path).sort();
  await mkdir(join(work, 'unpacked'));
  await execa('tar', ['-xzf', join(work, info!.filename), '-C', join(work, 'unpacked')], { timeout: SLOW });
  pkg = join(work, 'unpacked', 'package');
}, SLOW);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** `npx rmq-compose …` as the unpacked package runs it: its bundle, a clean environment. */
async function rmqCompose(args: string[], cwd: string) {
  const r = await execa('node', [join(pkg, 'dist', 'bundle', 'rmq-compose.mjs'), ...args], {
    cwd,
    env: cleanEnv(),
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The `npx rmq-compose …` lines of a README section's sh blocks, comments dropped, in order. */
function commandsOf(readme: string, heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npx rmq-compose '))
    .map((line) => line.slice('npx rmq-compose '.length).split(/\s+/));
}

/** Commands of the quick start that need a Docker engine and a running cluster. */
const NEEDS_DOCKER = new Set(['deploy', 'status']);

describe('a newcomer with the npm package', () => {
  test('the package holds the CLI, its templates, schema, specs and examples, and no tests', () => {
    for (const path of [
      'package.json',
      'README.md',
      'dist/bundle/rmq-compose.mjs',
      'schema/rmq-cluster.schema.json',
      'templates/rmq-cluster.init.yaml',
      'specs/seed.yaml',
      'bot/slack-app-manifest.yaml',
    ])
      expect(packed).toContain(path);
    for (const example of ['examples/prod.yaml', 'examples/remote.yaml', 'examples/tls.yaml', 'examples/monitoring.yaml']) expect(packed).toContain(example);
    expect(packed.filter((p) => p.startsWith('test/') || p.includes('fixtures') || p.startsWith('compose/') || /(^|\/)\.env$|\.rmq-compose\//.test(p))).toEqual(
      [],
    );
    // the unpacked copy runs on its own: nothing above it could lend it a node_modules
    for (let dir = pkg; dirname(dir) !== dir; dir = dirname(dir))
      expect({ dir, nodeModules: existsSync(join(dir, 'node_modules')) }).toEqual({ dir, nodeModules: false });
  });

  test(
    "the README's first block: gen with no spec writes the bundled seed cluster",
    async () => {
      const readme = await readFile(join(pkg, 'README.md'), 'utf8');
      expect(/```sh\n([\s\S]*?)```/.exec(readme)?.[1]).toContain('npx rmq-compose gen');
      const project = await mkdtemp(join(work, 'seed-'));
      const r = await rmqCompose(['gen'], project);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Using bundled default spec');
      expect(r.stdout).toMatch(/^compose\/seed\/: 17 files \(17 created, 0 updated, 0 unchanged\)$/m);
      expect(existsSync(join(project, 'compose', 'seed', 'docker-compose.yml'))).toBe(true);
    },
    SLOW,
  );

  test(
    "the README's quick start, line by line, then the examples it names",
    async () => {
      const readme = await readFile(join(pkg, 'README.md'), 'utf8');
      const commands = commandsOf(readme, 'Quick start');
      expect(commands.map((c) => c[0])).toEqual(expect.arrayContaining(['init', 'validate', 'gen']));
      // installed the usual way: node_modules/rmq-compose is the package (examples/ in it)
      const project = await mkdtemp(join(work, 'project-'));
      await mkdir(join(project, 'node_modules'));
      await symlink(pkg, join(project, 'node_modules', 'rmq-compose'));
      const skipped: string[] = [];
      const ran: string[] = [];
      for (const args of commands) {
        if (NEEDS_DOCKER.has(args[0]!)) {
          // what they name must exist by then: the folder gen wrote
          const dir = args[args.indexOf('-d') + 1]!;
          expect({ command: args.join(' '), folder: existsSync(join(project, dir, 'rmq-compose.json')) }).toEqual({ command: args.join(' '), folder: true });
          skipped.push(args[0]!);
          continue;
        }
        const r = await rmqCompose(args, project);
        expect({ command: args.join(' '), exitCode: r.exitCode, stderr: r.stderr }).toEqual({ command: args.join(' '), exitCode: 0, stderr: '' });
        ran.push(args.join(' '));
        if (args[0] === 'init') expect(r.stdout).toContain('Wrote rmq-cluster.yaml');
        if (args[0] === 'validate') expect(r.stdout).toMatch(/(^|\/)rmq-cluster\.yaml: valid \(3 nodes, RabbitMQ \d+\.\d+, formation auto\)$/m);
        if (args.join(' ') === 'gen') {
          expect(r.stdout).toContain('Using spec ./rmq-cluster.yaml');
          expect(r.stdout).toMatch(/^compose\/my-cluster\/: (\d+) files \(\1 created, 0 updated, 0 unchanged\)$/m);
          expect(r.stdout).toMatch(/^ {2}created docker-compose\.yml \(\+\d+ \u22120\)$/m);
          expect(r.stdout).toContain('Next: rmq-compose deploy -d compose/my-cluster');
        }
        if (args[0] === 'gen' && args.includes('-f')) expect(r.stdout).toMatch(/^compose\/prod\/: \d+ files/m);
      }
      expect(skipped).toEqual(['deploy', 'status']);
      expect(ran).toContain('gen -f node_modules/rmq-compose/examples/prod.yaml');
      // what gen wrote is what the spec gives, and a second run changes nothing
      const check = await rmqCompose(['gen', '--check'], project);
      expect(check.stdout).toContain('compose/my-cluster: up to date with rmq-cluster.yaml');
      expect(check.exitCode).toBe(0);
      expect(existsSync(join(project, 'compose', 'prod', 'hosts', 'mq1', 'docker-compose.yml'))).toBe(true);
    },
    SLOW,
  );

  test(
    'every example validates and generates',
    async () => {
      const examples = (await readdir(join(pkg, 'examples'))).filter((f) => f.endsWith('.yaml')).sort();
      expect(examples).toEqual(['monitoring.yaml', 'prod.yaml', 'remote.yaml', 'tls.yaml']);
      const project = await mkdtemp(join(work, 'examples-'));
      for (const example of examples) {
        const spec = join(pkg, 'examples', example);
        const valid = await rmqCompose(['validate', '-f', spec], project);
        expect({ example, exitCode: valid.exitCode, stdout: valid.stdout }).toEqual({ example, exitCode: 0, stdout: expect.stringContaining(': valid (') });
        const gen = await rmqCompose(['gen', '-f', spec, '-o', 'out'], project);
        expect({ example, exitCode: gen.exitCode }).toEqual({ example, exitCode: 0 });
        expect(gen.stdout).toMatch(/^out\/[a-z-]+\/: (\d+) files \(\1 created, 0 updated, 0 unchanged\)$/m);
      }
      expect((await readdir(join(project, 'out'))).sort()).toEqual(['prod', 'remote', 'tls', 'watched']);
      expect(existsSync(join(project, 'out', 'tls', 'tls', 'ca.pem'))).toBe(true);
      expect(existsSync(join(project, 'out', 'watched', 'prometheus', 'alerts.yml'))).toBe(true);
    },
    SLOW,
  );

  test('schema prints the schema file the package holds', async () => {
    const r = await rmqCompose(['schema'], work);
    expect(r.exitCode).toBe(0);
    expect(`${r.stdout}\n`).toBe(await readFile(join(pkg, 'schema', 'rmq-cluster.schema.json'), 'utf8'));
  });

  test("init's $schema line names the package's schema file, also under npx (no node_modules in the project)", async () => {
    const project = await mkdtemp(join(work, 'npx-'));
    expect((await rmqCompose(['init'], project)).exitCode).toBe(0);
    const reference = /^# yaml-language-server: \$schema=(\S+)$/m.exec(await readFile(join(project, 'rmq-cluster.yaml'), 'utf8'))?.[1];
    expect(resolve(project, reference!)).toBe(join(pkg, 'schema', 'rmq-cluster.schema.json'));
  });
});
