import { CONTROL_CHARACTER } from '../../contract/names.js';
import type { Finding } from '../../lib/findings.js';
import { dotPath } from '../../lib/zod-issues.js';

/**
 * Every string of the parsed YAML, keys included, checked for control characters before any
 * rule runs. Spec strings end up in rabbitmq.conf, nginx.conf, keepalived.conf, compose files
 * and .env, where a newline starts a line of the attacker's choosing; walking the input instead
 * of listing fields means a field added later cannot be forgotten. Values are never echoed: they
 * may be secrets.
 */
export function controlCharacterFindings(input: unknown): Finding[] {
  const out: Finding[] = [];
  walk(input, [], out);
  return out;
}

const MESSAGE = 'must not contain control characters (a newline?)';

function walk(value: unknown, path: PropertyKey[], out: Finding[]): void {
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value)) out.push({ path: dotPath(path), message: MESSAGE });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...path, index], out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    if (CONTROL_CHARACTER.test(key)) {
      // the key itself cannot go into the path as it is: the finding is printed to a terminal
      out.push({ path: dotPath([...path, JSON.stringify(key)]), message: `a key ${MESSAGE}` });
      continue;
    }
    walk(item, [...path, key], out);
  }
}
