import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planCluster, type ClusterPlan } from '../../generator/plan.js';
import { loadSpec } from '../../generator/spec/load-spec.js';
import { packageRoot } from '../../lib/package-root.js';
import type { ClusterModel } from '../../generator/spec/model.js';
import type { TlsMaterial } from '../../generator/tls/tls-material.js';

/**
 * The specs the tests render: the bundled default (specs/seed.yaml, the one `gen` uses with no
 * -f, kept once) and the fixtures beside the tests (quick, prod).
 */
export function specPath(name: string): string {
  return name === 'seed' ? join(packageRoot(), 'specs', 'seed.yaml') : join(packageRoot(), 'test', 'fixtures', 'specs', `${name}.yaml`);
}

/** Every spec name: seed and each fixture. */
export function specNames(): string[] {
  const fixtures = readdirSync(join(packageRoot(), 'test', 'fixtures', 'specs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length));
  return [...new Set(['seed', ...fixtures])].sort();
}

/**
 * The default password fixtures are rendered with: snapshots hold its hash (boot definitions),
 * never a real one. The CLI tests export it, so the CLI writes the same bytes.
 */
export const FIXTURE_PASSWORD = 'fixture-password-not-a-secret';
export const FIXTURE_SECRETS: ReadonlyMap<string, string> = new Map([['RABBITMQ_DEFAULT_PASS', FIXTURE_PASSWORD]]);

/** A spec's plan as gen makes it, with the files it names read beside it and FIXTURE_SECRETS. */
export function planSpecFile(path: string, name = path.split('/').pop()!, specFileFrom?: (cluster: string) => string): ClusterPlan {
  const text = readFileSync(path, 'utf8');
  const file = loadSpec(text).model?.rabbitmq.definitionsFile;
  const definitionsText = file === undefined ? undefined : readFileSync(join(dirname(path), file), 'utf8');
  const tls = fixtureTls(loadSpec(text).model, dirname(path));
  return planCluster(text, name, { definitionsText, secretValues: FIXTURE_SECRETS, ...(specFileFrom ? { specFileFrom } : {}), ...(tls ? { tls } : {}) });
}

/**
 * The fixture specs with `tls:` name their own certificate files (test/fixtures/tls), read here
 * as gen reads them (generator/tls/read-user-tls-files.ts, which also checks them), so the render
 * is the same bytes every run.
 */
function fixtureTls(model: ClusterModel | undefined, specDir: string): TlsMaterial | undefined {
  const c = model?.tls?.certificates;
  if (!c) return undefined;
  if (c.kind !== 'files') throw new Error('fixture specs with tls: name their certificate files (generated ones differ every run)');
  const read = (file: string) => readFileSync(join(specDir, file), 'utf8');
  const pair = (p: { cert: string; key: string }) => ({ certPem: read(p.cert), keyPem: read(p.key) });
  return {
    caPem: read(c.ca),
    caKeyPem: undefined,
    nodes: Object.fromEntries(Object.entries(c.nodes).map(([name, p]) => [name, pair(p)])),
    loadBalancer: c.loadBalancer && model!.tls!.clients === 'terminate' ? pair(c.loadBalancer) : undefined,
    issued: [],
  };
}
