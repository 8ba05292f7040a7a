import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';

/**
 * The specs the tests render: the bundled default (specs/seed.yaml, the one `gen` uses with no
 * -f, kept once) and the fixtures beside the tests (quick, prod).
 */
export function specPath(name: string): string {
  return name === 'seed' ? join(packageRoot(), 'specs', 'seed.yaml') : join(packageRoot(), 'test', 'fixtures', 'specs', `${name}.yaml`);
}

/** Every spec name: seed and each fixture. */
export function specNames(): string[] {
  const fixtures = readdirSync(join(packageRoot(), 'test', 'fixtures', 'specs')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));
  return [...new Set(['seed', ...fixtures])].sort();
}
