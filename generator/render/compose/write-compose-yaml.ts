import { Document, Scalar, visit } from 'yaml';
import type { ComposeFile } from './compose-types.js';

/**
 * Serialises the compose object. Values with a colon or a leading digit are double-quoted: YAML
 * 1.1 readers (compose v1) turn `22:22` into a base-60 number, and `${VAR:?…}` reads better quoted.
 */
export function composeYaml(compose: ComposeFile, header: string): string {
  // no anchors: shared label objects must print as plain copies
  const doc = new Document(compose, { aliasDuplicateObjects: false });
  doc.commentBefore = ` ${header}`;
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key === 'key' || typeof node.value !== 'string') return;
      if (/[:$]|^\d/.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, indent: 2 });
}
