import fc from 'fast-check';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateCluster } from '../../generator/generate.js';
import { loadSpec } from '../../generator/spec/load-spec.js';
import { ensureComposeV2 } from '../e2e/harness/compose-cli.js';
import { composeConfig, keepalivedTest, nginxTest } from '../helpers/config-validators.js';
import { doublyPublished, publishedPorts } from '../helpers/published-ports.js';
import { clusterSpec, specYaml, type SpecObject } from '../helpers/spec-arbitraries.js';
import { composeFlavors, ensureDebianPackages, hasKeepalived, hasNginxStream, type ComposeFlavor } from '../helpers/system-tools.js';

/**
 * Issue 23's property with the real tools: specs drawn from the unit property's arbitraries
 * (test/unit/generator/render/host-ports-property.test.ts), the first ones that validate, generated as gen
 * does (certificates issued for `tls:`), then nginx -t, keepalived -t and `docker compose config`
 * (the v2 client: no engine needed) on every file they produce. Fixed seed: the same twelve, and
 * one keepalived instance alone.
 */
const SEED = 23;
const SAMPLE = 12;
const TODAY = { today: '2026-12-07' };

const sample: Array<{ name: string; spec: SpecObject }> = fc
  .sample(clusterSpec, { seed: SEED, numRuns: 200 })
  .map((spec, i): { name: string; spec: SpecObject } => ({ name: `prop-${i}`, spec: { ...spec, name: `prop-${i}` } }))
  .filter(({ spec }) => loadSpec(specYaml(spec), TODAY).errors.length === 0)
  .slice(0, SAMPLE)
  // one keepalived instance alone: no unicast peer, so its config must not list any (keepalived -t
  // exits 5 on an empty unicast_peer block)
  .concat([
    {
      name: 'prop-one-vrrp',
      spec: { name: 'prop-one-vrrp', nodes: 3, loadBalancer: { keepalived: { virtualIp: '172.30.6.100/24', virtualRouterId: 53, instances: 1 } } },
    },
  ]);

/** What a drawn spec is, for the test's title. */
function layout(spec: SpecObject): string {
  const lb = spec.loadBalancer as { enabled?: boolean; keepalived?: unknown; listeners?: unknown[] } | undefined;
  const tls = spec.tls as { clients: string } | undefined;
  return [
    spec.hosts ? `hosts (${(spec.hosts as unknown[]).length})` : 'one machine',
    typeof spec.nodes === 'number' ? `nodes: ${spec.nodes}` : `${(spec.nodes as unknown[]).length} node objects`,
    lb?.enabled === false ? 'no load balancer' : lb?.keepalived ? 'keepalived' : 'nginx only',
    lb?.listeners ? `${lb.listeners.length} listeners` : 'default listeners',
    ...(tls ? [`tls ${tls.clients}`] : []),
    ...(spec.monitoring ? ['prometheus'] : []),
  ].join(', ');
}

let work: string;
let v2: ComposeFlavor;
const generated = new Map<string, { dir: string; files: string[] }>();

beforeAll(async () => {
  await ensureDebianPackages(hasNginxStream, ['nginx-light', 'libnginx-mod-stream'], 'nginx with the stream module');
  await ensureDebianPackages(hasKeepalived, ['keepalived', 'util-linux'], 'keepalived');
  const compose = await ensureComposeV2(process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock');
  v2 = (await composeFlavors(compose.dockerConfig ? { DOCKER_CONFIG: compose.dockerConfig } : {})).find((f) => f.file === 'docker')!;
  work = await mkdtemp(join(tmpdir(), 'rmq-spec-property-'));
  for (const { name, spec } of sample) {
    const { plan, result } = await generateCluster({ text: specYaml(spec), name: `${name}.yaml`, dir: work }, { outDir: work, env: {} });
    generated.set(name, { dir: result.clusterDir, files: plan.files.map((f) => f.path) });
  }
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the sample is twelve valid specs across the layouts, and the lone keepalived instance', () => {
  expect(sample).toHaveLength(SAMPLE + 1);
  const layouts = sample.map(({ spec }) => layout(spec)).join('\n');
  for (const kind of [/^hosts/m, /^one machine.*keepalived/m, /tls terminate/, /tls passthrough/, /prometheus/, /\d+ listeners/]) expect(layouts).toMatch(kind);
});

test.each(sample.map(({ name, spec }) => [name, layout(spec)]))(
  '%s (%s): no host port twice, nginx -t, keepalived -t, docker compose config',
  async (name) => {
    const { dir, files } = generated.get(name)!;
    expect(v2).toBeDefined();
    // the files as gen wrote them: compose config checks their shape, not whether Docker can bind them all
    const written = await Promise.all(
      files.filter((f) => /(docker-compose\.yml|nginx\.conf)$/.test(f)).map(async (path) => ({ path, contents: await readFile(join(dir, path), 'utf8') })),
    );
    expect(doublyPublished(publishedPorts(written))).toEqual([]);
    for (const conf of files.filter((f) => /nginx\/nginx\.conf$/.test(f))) {
      const result = await nginxTest(join(dir, conf), work);
      expect({ conf, stderr: String(result.stderr), exitCode: result.exitCode }).toEqual({ conf, stderr: '', exitCode: 0 });
    }
    for (const conf of files.filter((f) => /keepalived\/[^/]+\.conf$/.test(f))) {
      const instance = conf
        .split('/')
        .pop()!
        .replace(/\.conf$/, '');
      const { result } = await keepalivedTest(dirname(join(dir, conf)), instance, work);
      expect({ conf, output: `${String(result.stdout)}${String(result.stderr)}`, exitCode: result.exitCode }).toEqual({ conf, output: '', exitCode: 0 });
    }
    const composeFiles = files.filter((f) => /docker-compose\.yml$/.test(f));
    expect(composeFiles.length).toBeGreaterThan(0);
    for (const composeFile of composeFiles) {
      const result = await composeConfig(v2, `rmq-${name}`, dir, composeFile);
      expect({ composeFile, stderr: String(result.stderr).trim(), exitCode: result.exitCode }).toEqual({ composeFile, stderr: '', exitCode: 0 });
    }
  },
  120_000,
);
