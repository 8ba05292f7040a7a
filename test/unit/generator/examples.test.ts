import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSpec } from '../../../generator/spec/load-spec.js';
import { packageRoot } from '../../../lib/package-root.js';

/** examples/ ships in the npm package and the README links it: every file must be a valid spec. */
const EXAMPLES = join(packageRoot(), 'examples');
const files = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('examples/', () => {
  test('holds the layouts the README links', () => {
    expect(files).toEqual(expect.arrayContaining(['monitoring.yaml', 'prod.yaml', 'remote.yaml', 'tls.yaml']));
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    for (const f of files) expect(readme).toContain(`](examples/${f})`);
  });

  test.each(files)('%s is valid on 2026-12-07', (file) => {
    const { model, errors } = loadSpec(readFileSync(join(EXAMPLES, file), 'utf8'), { today: '2026-12-07' });
    expect(errors).toEqual([]);
    expect(model).toBeDefined();
  });

  test.each(files)('%s: its $schema line names the schema file beside it in the package', (file) => {
    const reference = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(join(EXAMPLES, file), 'utf8'))?.[1];
    expect(reference).toBe('../schema/rmq-cluster.schema.json');
    expect(existsSync(resolve(EXAMPLES, reference!))).toBe(true);
  });
});
