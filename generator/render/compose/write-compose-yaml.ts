import { Document, isScalar, Scalar, visit } from 'yaml';
import { Interpolated, type ComposeFile } from './compose-types.js';

/**
 * Serialises the compose object. Values with a colon or a leading digit are double-quoted: YAML
 * 1.1 readers (compose v1) turn `22:22` into a base-60 number, and `${VAR:?…}` reads better quoted.
 * A file's content (several lines) is a literal block, as readable as the file. A `mode` is
 * written in octal (`0o444`, which Compose reads as a number like 0444).
 */
export function composeYaml(compose: ComposeFile, header: string): string {
  // no anchors: shared label objects must print as plain copies
  const doc = new Document(literalValues(compose), { aliasDuplicateObjects: false });
  doc.commentBefore = ` ${header}`;
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === 'mode' && isScalar(pair.value) && typeof pair.value.value === 'number') pair.value.format = 'OCT';
    },
    Scalar(key, node: Scalar) {
      if (key === 'key' || typeof node.value !== 'string') return;
      if (node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
      else if (/[:$]|^\d/.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, indent: 2 });
}

/**
 * Compose interpolates `$` in every value, so each literal `$` is written `$$`; an Interpolated
 * value (a deliberate `${VAR}`) is written as it is. The one place this happens, so no renderer
 * has to remember. Keys are left alone: Compose does not interpolate them, and ours are fixed
 * words or names the spec rules keep to letters, digits, "-", "_" and ".".
 */
function literalValues(value: unknown): unknown {
  if (value instanceof Interpolated) return value.text;
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(literalValues);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalValues(v)]));
  return value;
}
