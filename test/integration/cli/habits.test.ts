import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../../lib/package-root.js';
import { CATALOG_ENTRIES } from '../../../ops/catalog.js';
import { CLI, cleanEnv, runCli, snapshotTree, withTempDir } from '../../helpers/cli.js';
import { specPath } from '../../helpers/spec-files.js';
import { specText } from '../../helpers/spec-text.js';

/** The habits of docker, helm and terraform: --version, bare help, completion, --json, colour, complete --help. */
const env = cleanEnv();
const ESC = '\u001b[';
/** `text` at the very start, taken literally (it holds "[" and escape characters). */
const atStart = (text: string) => new RegExp(`^${text.replace(/[[\]().|*+?^$\\]/g, '\\$&')}`);

async function packageVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

function has(program: string): boolean {
  try {
    execFileSync(program, ['-c', 'exit 0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('--version, bare rmq-compose', () => {
  test('--version and -V print the package version, exit 0', async () => {
    await withTempDir(async (dir) => {
      for (const flag of ['--version', '-V']) {
        const r = await runCli([flag], { cwd: dir, env });
        expect(r).toEqual({ exitCode: 0, stdout: await packageVersion(), stderr: '' });
      }
    });
  });

  test("an action's own --version is the action's (upgrade --version 4.4.1 is not the program's)", async () => {
    await withTempDir(async (dir) => {
      const r = await runCli(['upgrade', '--to', 'rabbitmq:4.4-management', '--version', '4.4.1'], { cwd: dir, env });
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('no cluster folder given');
    });
  });

  test('bare rmq-compose prints the help on stdout, exit 0', async () => {
    await withTempDir(async (dir) => {
      const r = await runCli([], { cwd: dir, env });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: rmq-compose \[options\] \[command\]/);
      expect(r.stdout).toContain('-V, --version');
      expect(r.stdout).toMatch(/\n {2}completion <shell> +print the shell completion script/);
      expect(r.stdout).not.toContain('__complete');
    });
  });
});

describe("every action's --help lists its own flags; --yes only where it asks", () => {
  test.each(CATALOG_ENTRIES.map((e) => [e.name, e] as const))('%s --help', async (name, entry) => {
    await withTempDir(async (dir) => {
      const r = await runCli([name, '--help'], { cwd: dir, env });
      expect(r.exitCode).toBe(0);
      const [usage] = r.stdout.split('\n');
      const options = r.stdout.slice(r.stdout.indexOf('\nOptions:\n'));
      for (const option of entry.options ?? [])
        expect(options).toMatch(new RegExp(`\\n {2}${option.flags.replace(/[|.]/g, '\\$&')} +${option.description.slice(0, 20).replace(/[().|]/g, '\\$&')}`));
      for (const common of ['-d, --dir <dir>', '--json', '-h, --help']) expect(options).toContain(`\n  ${common} `);
      if (entry.dangerous) {
        expect(usage).toMatch(/ \[--yes\]$/);
        expect(options).toMatch(/\n {2}-y, --yes +do not ask first/);
      } else {
        expect(usage).not.toContain('--yes');
        expect(options).not.toMatch(/\n {2}-y, --yes/);
        expect(r.stdout).toContain('This action never asks for confirmation: -y/--yes is accepted and ignored');
      }
    });
  });

  test('join --help: --ram, --disc and --to <node>, documented as the short node name', async () => {
    await withTempDir(async (dir) => {
      const r = await runCli(['join', '--help'], { cwd: dir, env });
      expect(r.stdout).toMatch(/\n {2}--ram +join as a RAM node/);
      expect(r.stdout).toMatch(/\n {2}--disc +join as a disc node/);
      expect(r.stdout).toMatch(/\n {2}--to <node> +the running node to join, e.g\. rabbit1 /);
      expect(r.stdout).not.toContain('rabbit@');
    });
  });

  test('--yes given to an action that never asks is accepted and ignored (as the help says)', async () => {
    await withTempDir(async (dir) => {
      const plain = await runCli(['status'], { cwd: dir, env });
      const yes = await runCli(['status', '--yes'], { cwd: dir, env });
      expect(yes).toEqual(plain);
      expect(yes.stderr).toContain('no cluster folder given');
    });
  });
});

describe('shell completion', () => {
  /** A generated seed cluster and `rmq-compose` on PATH, as the scripts call it. */
  async function setUp(dir: string): Promise<Record<string, string>> {
    expect((await runCli(['gen'], { cwd: dir, env })).exitCode).toBe(0);
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'rmq-compose'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(join(dir, 'bin', 'rmq-compose'), 0o755);
    return cleanEnv({ PATH: `${join(dir, 'bin')}:${env.PATH}` });
  }

  test('__complete: commands, an action flags, the generated cluster nodes', async () => {
    await withTempDir(async (dir) => {
      await setUp(dir);
      const tab = async (...words: string[]) => {
        const r = await runCli(['__complete', ...words], { cwd: dir, env });
        expect(r.exitCode).toBe(0);
        expect(r.stderr).toBe('');
        return r.stdout.split('\n').filter(Boolean);
      };
      expect(await tab('ro')).toEqual(['rotate-certs']);
      expect(await tab('co')).toEqual(['completion']);
      expect(await tab('join', '')).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
      expect(await tab('join', 'rabbit3', '--to', '')).toEqual(['rabbit1', 'rabbit2']);
      expect(await tab('join', 'rabbit3', '--')).toEqual(['--dir', '--json', '--yes', '--ram', '--disc', '--to', '--help']);
      expect(await tab('status', '-d', '')).toEqual(['compose/seed', ':dirs']);
      // the program's own flags in the words do not act (no version printed, no help)
      expect(await tab('upgrade', '--version', '4.4.1', '-h', '--')).toEqual(['--dir', '--json', '--yes', '--to', '--dry-run', '--plan']);
    });
  });

  test('completion bash: valid bash (bash -n) that asks rmq-compose and fills COMPREPLY', async () => {
    await withTempDir(async (dir) => {
      const withPath = await setUp(dir);
      const script = await runCli(['completion', 'bash'], { cwd: dir, env });
      expect(script.exitCode).toBe(0);
      await writeFile(join(dir, 'rmq-compose.bash'), script.stdout);
      await execa('bash', ['-n', join(dir, 'rmq-compose.bash')]);
      const reply = async (...words: string[]) => {
        const r = await execa(
          'bash',
          [
            '-c',
            `source ./rmq-compose.bash; COMP_WORDS=(rmq-compose ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _rmq_compose; printf '%s\\n' "\${COMPREPLY[@]}"; complete -p rmq-compose`,
          ],
          { cwd: dir, env: withPath, extendEnv: false },
        );
        return r.stdout.split('\n');
      };
      expect(await reply('drain', '')).toEqual(['rabbit1', 'rabbit2', 'rabbit3', 'complete -F _rmq_compose rmq-compose']);
      expect(await reply('status', '-d', 'comp')).toEqual(['compose/seed', 'compose', 'complete -F _rmq_compose rmq-compose']);
    });
  });

  const zsh = has('zsh') ? test : test.skip;
  zsh('completion zsh: valid zsh (zsh -n) that asks rmq-compose and hands compadd the candidates (skipped without zsh)', async () => {
    await withTempDir(async (dir) => {
      const withPath = await setUp(dir);
      const script = await runCli(['completion', 'zsh'], { cwd: dir, env });
      expect(script.exitCode).toBe(0);
      expect(script.stdout).toMatch(/^#compdef rmq-compose\n/);
      await writeFile(join(dir, '_rmq-compose'), script.stdout);
      await execa('zsh', ['-n', join(dir, '_rmq-compose')]);
      // compsys stubs: what the function hands to compadd and _files, outside a completion widget
      const stubs = 'compdef() { print -r -- "compdef $*" }; compadd() { shift; print -rl -- "$@" }; _files() { print -r -- "_files $*" }';
      const r = await execa(
        'zsh',
        [
          '-f',
          '-c',
          `${stubs}; source ./_rmq-compose; words=(rmq-compose join rabbit1 --to ''); CURRENT=5; _rmq-compose; words=(rmq-compose status -d ''); CURRENT=4; _rmq-compose`,
        ],
        { cwd: dir, env: withPath, extendEnv: false },
      );
      expect(r.stdout.split('\n')).toEqual(['compdef _rmq-compose rmq-compose', 'rabbit2', 'rabbit3', 'compose/seed', '_files -/']);
    });
  });

  test('completion of an unknown shell is refused', async () => {
    await withTempDir(async (dir) => {
      const r = await runCli(['completion', 'fish'], { cwd: dir, env });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/^error: command-argument value 'fish' is invalid for argument 'shell'\. Allowed choices are bash, zsh\./);
    });
  });
});

describe('validate --json', () => {
  test('valid: { valid: true, errors: [], warnings, summary } on stdout only, exit 0', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'spec.yaml'), specText());
      const r = await runCli(['validate', '-f', 'spec.yaml', '--json'], { cwd: dir, env });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout);
      expect(report).toEqual({
        valid: true,
        file: 'spec.yaml',
        errors: [],
        warnings: expect.arrayContaining([{ path: 'rabbitmq.image', message: expect.stringContaining('RabbitMQ 3.13 is past community support') }]),
        summary: { cluster: 'unit', nodes: 3, rabbitmq: '3.13', formation: 'auto', bootDefinitions: null },
      });
      // the text mode says the same warnings on stderr
      const text = await runCli(['validate', '-f', 'spec.yaml'], { cwd: dir, env });
      expect(text.stderr.split('\n')).toHaveLength(report.warnings.length);
    });
  });

  test('invalid: every problem as { path, message }, exit 2, nothing on stderr, nothing written', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'bad.yaml'), specText({ nodes: ['rabbit1', 'rabbit1'], loadBalancer: { keepalived: { virtualIp: 'x', virtualRouterId: 0 } } }));
      const before = await snapshotTree(dir);
      const r = await runCli(['validate', '-f', 'bad.yaml', '--json'], { cwd: dir, env: cleanEnv({ FORCE_COLOR: '1' }) });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toContain(ESC);
      const report = JSON.parse(r.stdout);
      expect(report.valid).toBe(false);
      expect(report.summary).toBeNull();
      expect(report.errors).toEqual(
        expect.arrayContaining([
          { path: 'nodes[1].name', message: expect.stringContaining('"rabbit1" is already used') },
          { path: 'loadBalancer.keepalived.virtualRouterId', message: expect.stringContaining('0 is outside 1–255') },
          { path: 'loadBalancer.keepalived.virtualIp', message: expect.stringContaining('"x" is not an IPv4 address') },
        ]),
      );
      expect(await snapshotTree(dir)).toEqual(before);
    });
  });

  test('the summary names the boot definitions file and what it holds', async () => {
    await withTempDir(async (dir) => {
      await copyFile(specPath('boot-definitions'), join(dir, 'spec.yaml'));
      await copyFile(specPath('boot-definitions').replace(/\.yaml$/, '.json'), join(dir, 'boot-definitions.json'));
      const r = await runCli(['validate', '-f', 'spec.yaml', '--json'], { cwd: dir, env });
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).summary.bootDefinitions).toEqual({
        file: 'boot-definitions.json',
        counts: { users: 1, vhosts: 1, permissions: 1, policies: 1, queues: 1, exchanges: 1, bindings: 1 },
      });
    });
  });
});

describe('colour: NO_COLOR, FORCE_COLOR, a terminal', () => {
  const red = `${ESC}31merror:${ESC}39m`;
  const yellow = `${ESC}33mwarning:${ESC}39m`;

  test("FORCE_COLOR=1: error: red (ours and commander's), warning: yellow, valid green", async () => {
    await withTempDir(async (dir) => {
      const forced = cleanEnv({ FORCE_COLOR: '1' });
      expect((await runCli(['status'], { cwd: dir, env: forced })).stderr).toMatch(atStart(`${red} no cluster folder given`));
      expect((await runCli(['validate', '-x'], { cwd: dir, env: forced })).stderr).toContain(`${red} unknown option '-x'`);
      await writeFile(join(dir, 'spec.yaml'), specText());
      const validate = await runCli(['validate', '-f', 'spec.yaml'], { cwd: dir, env: forced });
      expect(validate.stderr).toContain(`${yellow} rabbitmq.image: RabbitMQ 3.13 is past community support`);
      expect(validate.stdout).toBe(`spec.yaml: ${ESC}32mvalid${ESC}39m (3 nodes, RabbitMQ 3.13, formation auto, 1 warning(s))`);
    });
  });

  // util-linux script(1) gives the CLI a terminal (BSD's takes other arguments: skipped there)
  const utilLinuxScript = (() => {
    try {
      return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
    } catch {
      return false;
    }
  })();
  (utilLinuxScript ? test : test.skip)('on a terminal: colour by default, none with NO_COLOR or TERM=dumb (skipped without util-linux script)', async () => {
    await withTempDir(async (dir) => {
      const onTerminal = (extra: Record<string, string>) =>
        execa('script', ['-qec', `"${process.execPath}" "${CLI}" status`, '/dev/null'], {
          cwd: dir,
          env: cleanEnv({ TERM: 'xterm-256color', ...extra }),
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
        });
      expect((await onTerminal({})).stdout).toMatch(atStart(`${red} no cluster folder given`));
      expect((await onTerminal({ NO_COLOR: '1' })).stdout).toMatch(/^error: no cluster folder given/);
      expect((await onTerminal({ TERM: 'dumb' })).stdout).toMatch(/^error: no cluster folder given/);
    });
  });

  test.each([
    ['not a terminal', {}],
    ['NO_COLOR=1 (wins over FORCE_COLOR)', { NO_COLOR: '1', FORCE_COLOR: '1' }],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }],
  ])('%s: no colour', async (_, extra) => {
    await withTempDir(async (dir) => {
      const plain = cleanEnv(extra);
      const status = await runCli(['status'], { cwd: dir, env: plain });
      // (with both set, node itself may warn that it reads FORCE_COLOR first: execa probes colours as it loads)
      expect(status.stderr).toMatch(/^error: no cluster folder given/m);
      expect(status.stderr).not.toContain(ESC);
      await writeFile(join(dir, 'spec.yaml'), specText());
      const validate = await runCli(['validate', '-f', 'spec.yaml'], { cwd: dir, env: plain });
      expect(`${validate.stdout}${validate.stderr}`).not.toContain(ESC);
      expect(validate.stderr).toMatch(/^warning: rabbitmq\.image/);
    });
  });
});
