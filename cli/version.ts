import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.js';

/** rmq-compose's version, from its package.json (next to the bundle's dist/ as in a clone). */
export function packageVersion(): string {
  const parsed = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof parsed.version !== 'string') throw new Error(`rmq-compose: no version in ${join(packageRoot(), 'package.json')}`);
  return parsed.version;
}
