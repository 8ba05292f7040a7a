import { execa } from 'execa';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { generateCluster } from '../../generator/generate.js';
import { packageRoot } from '../../lib/package-root.js';
import { specPath } from '../helpers/spec-files.js';
import { ensureDebianPackages, onPath, promtoolPackage } from '../helpers/system-tools.js';

/**
 * The generated Prometheus files through Prometheus' own checker: `promtool check config` (which
 * also loads the rule files it names, relative to the config, so both are laid out the way the
 * container sees them: /etc/prometheus/{prometheus.yml,alerts.yml}), `promtool check rules`, and
 * `promtool test rules` on input series with the alerts they must raise
 * (test/fixtures/prometheus/). promtool comes from Debian (installed when missing, like nginx and
 * keepalived for validators.test.ts).
 */
const SPECS = { monitoring: '', 'monitoring-hosts': 'hosts/mon1/' } as const;
const RULES_TEST = join(packageRoot(), 'test', 'fixtures', 'prometheus', 'watched.rules-test.yml');
let work: string;
/** Spec → a folder holding prometheus.yml and alerts.yml only, as the container gets them. */
const etc = new Map<string, string>();

beforeAll(async () => {
  await ensureDebianPackages(() => onPath('promtool'), [await promtoolPackage()], 'promtool');
  work = await mkdtemp(join(tmpdir(), 'rmq-promtool-'));
  for (const [name, folder] of Object.entries(SPECS)) {
    const path = specPath(name);
    const { result } = await generateCluster(
      { text: await readFile(path, 'utf8'), name: basename(path), dir: dirname(path) },
      { outDir: join(work, 'out'), env: {} },
    );
    const dir = await mkdtemp(join(work, `etc-prometheus-${name}-`));
    for (const file of ['prometheus.yml', 'alerts.yml']) await copyFile(join(result.clusterDir, folder, 'prometheus', file), join(dir, file));
    etc.set(name, dir);
  }
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const promtool = (args: string[], cwd: string) => execa('promtool', args, { cwd, reject: false, timeout: 60_000, all: true });

describe.each(Object.keys(SPECS))('spec %s', (spec) => {
  test('promtool check config accepts prometheus.yml and the rules it names', async () => {
    const result = await promtool(['check', 'config', 'prometheus.yml'], etc.get(spec)!);
    expect({ output: String(result.all), exitCode: result.exitCode }).toEqual({ output: expect.stringContaining('SUCCESS: 1 rule files found'), exitCode: 0 });
  });

  test('promtool check rules accepts alerts.yml', async () => {
    const result = await promtool(['check', 'rules', 'alerts.yml'], etc.get(spec)!);
    expect({ output: String(result.all), exitCode: result.exitCode }).toEqual({ output: expect.stringMatching(/SUCCESS: \d+ rules found/), exitCode: 0 });
  });
});

describe('the rules raise the right alerts (promtool test rules)', () => {
  test('node down, majority down, memory and disk alarms, file descriptors, unroutable messages, a quorum queue without its majority', async () => {
    const dir = etc.get('monitoring')!;
    await copyFile(RULES_TEST, join(dir, 'rules-test.yml'));
    const result = await promtool(['test', 'rules', 'rules-test.yml'], dir);
    expect({ output: String(result.all).trim(), exitCode: result.exitCode }).toEqual({ output: expect.stringContaining('SUCCESS'), exitCode: 0 });
  });
});

describe('promtool does bite', () => {
  test('check config fails when the rules file is not beside the config', async () => {
    const lonely = await mkdtemp(join(work, 'lonely-'));
    await copyFile(join(etc.get('monitoring')!, 'prometheus.yml'), join(lonely, 'prometheus.yml'));
    expect((await promtool(['check', 'config', 'prometheus.yml'], lonely)).exitCode).not.toBe(0);
  });

  test('check rules fails on a broken expression', async () => {
    const broken = await mkdtemp(join(work, 'broken-'));
    const rules = await readFile(join(etc.get('monitoring')!, 'alerts.yml'), 'utf8');
    await writeFile(join(broken, 'alerts.yml'), rules.replace('up{job="watched"} == 0', 'up{job="watched"} == == 0'));
    expect((await promtool(['check', 'rules', 'alerts.yml'], broken)).exitCode).not.toBe(0);
  });

  test('test rules fails when an alert fires with other labels than expected', async () => {
    const dir = await mkdtemp(join(work, 'wrong-'));
    await copyFile(join(etc.get('monitoring')!, 'alerts.yml'), join(dir, 'alerts.yml'));
    await writeFile(join(dir, 'rules-test.yml'), (await readFile(RULES_TEST, 'utf8')).replace('node: rabbit3 }', 'node: rabbit2 }'));
    expect((await promtool(['test', 'rules', 'rules-test.yml'], dir)).exitCode).not.toBe(0);
  });
});
