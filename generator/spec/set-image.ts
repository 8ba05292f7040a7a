import { isMap, isPair, isScalar, parseDocument, type Document, type Scalar } from 'yaml';

/**
 * The spec text with `rabbitmq.image` (and `rabbitmq.version`) changed and nothing else: what
 * `upgrade` writes back so the spec says what runs. The values are spliced into the text where
 * they stand, so comments, spacing and flow maps stay byte for byte; only when a key has to be
 * added does the YAML library print the document again. `version` undefined removes a
 * `rabbitmq.version` the old image needed: the new tag must say it then.
 */
export function setSpecImage(specText: string, image: string, version: string | undefined): string {
  const doc = parseDocument(specText);
  if (doc.errors.length > 0) throw new Error(`the spec is not valid YAML any more: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new Error('the spec is not a YAML mapping');
  const spliced = splice(specText, doc, image, version);
  if (spliced !== undefined && saysSo(spliced, image, version)) return spliced;
  doc.setIn(['rabbitmq', 'image'], image);
  if (version !== undefined) doc.setIn(['rabbitmq', 'version'], version);
  else if (doc.hasIn(['rabbitmq', 'version'])) doc.deleteIn(['rabbitmq', 'version']);
  return doc.toString({ lineWidth: 0 });
}

interface Edit {
  from: number;
  to: number;
  text: string;
}

/** In-place edits, or undefined when a key is missing or written in a way a splice cannot keep. */
function splice(text: string, doc: Document, image: string, version: string | undefined): string | undefined {
  const edits: Edit[] = [];
  const imageNode = doc.getIn(['rabbitmq', 'image'], true);
  if (!isScalar(imageNode) || !imageNode.range) return undefined;
  edits.push(replaceValue(imageNode, image));
  const versionNode = doc.getIn(['rabbitmq', 'version'], true);
  if (version !== undefined) {
    if (!isScalar(versionNode) || !versionNode.range) return undefined;
    edits.push(replaceValue(versionNode, version));
  } else if (versionNode !== undefined) {
    const line = wholeLineOf(text, doc, versionNode as Scalar);
    if (!line) return undefined;
    edits.push(line);
  }
  return edits.sort((a, b) => b.from - a.from).reduce((t, e) => t.slice(0, e.from) + e.text + t.slice(e.to), text);
}

function replaceValue(node: Scalar, value: string): Edit {
  const [from, to] = node.range!;
  // a plain 4.3 would read back as a number, which the spec refuses for rabbitmq.version
  const plain = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/.test(value) && !/^[0-9.]+$/.test(value);
  const quoted = node.type === 'QUOTE_SINGLE' ? `'${value.replaceAll("'", "''")}'` : node.type === 'QUOTE_DOUBLE' || !plain ? JSON.stringify(value) : value;
  return { from, to, text: quoted };
}

/** The `version: …` line of a block map, comment and newline included; undefined if it shares its line. */
function wholeLineOf(text: string, doc: Document, value: Scalar): Edit | undefined {
  const rabbitmq = doc.get('rabbitmq', true);
  if (!isMap(rabbitmq)) return undefined;
  const pair = rabbitmq.items.find((p) => isPair(p) && p.value === value);
  const key = pair && isScalar(pair.key) ? pair.key : undefined;
  if (!key?.range || !value.range) return undefined;
  const start = text.lastIndexOf('\n', key.range[0] - 1) + 1;
  const newline = text.indexOf('\n', value.range[1]);
  const end = newline < 0 ? text.length : newline + 1;
  if (text.slice(start, key.range[0]).trim() !== '' || !/^\s*(#.*)?$/.test(text.slice(value.range[1], newline < 0 ? text.length : newline))) return undefined;
  return { from: start, to: end, text: '' };
}

function saysSo(text: string, image: string, version: string | undefined): boolean {
  const doc = parseDocument(text);
  return (
    doc.errors.length === 0 &&
    doc.getIn(['rabbitmq', 'image']) === image &&
    (version === undefined ? !doc.hasIn(['rabbitmq', 'version']) : String(doc.getIn(['rabbitmq', 'version'])) === version)
  );
}
