import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';

/** The spec's JSON Schema inside the package (`rmq-compose schema` prints the same). */
export const SCHEMA_FILE = join('schema', 'rmq-cluster.schema.json');

const SCHEMA_LINE = /^(# yaml-language-server: \$schema=)(\S+)(.*)$/m;

/**
 * The starter with its `$schema` reference pointing at the schema file of the rmq-compose that
 * runs, as seen from the folder the spec is written to: it resolves in a clone
 * (`./schema/…`), when installed (`./node_modules/rmq-compose/schema/…`) and under npx (its
 * cache), wherever the spec goes. The template's own reference stays when there is no such file
 * or no relative path to it (another drive).
 */
export function withSchemaReference(starter: string, specPath: string, root = packageRoot()): string {
  const schema = join(root, SCHEMA_FILE);
  if (!existsSync(schema)) return starter;
  const path = relative(dirname(resolve(specPath)), schema);
  // another drive, or a path a modeline cannot hold (it ends at the first space)
  if (isAbsolute(path) || /\s/.test(path)) return starter;
  const posix = path.split(sep).join('/');
  const reference = posix.startsWith('../') ? posix : `./${posix}`;
  return starter.replace(SCHEMA_LINE, (_line, head: string, _old: string, tail: string) => `${head}${reference}${tail}`);
}
