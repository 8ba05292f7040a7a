import { CONTROL_CHARACTER } from '../contract/names.js';
import type { Finding } from '../lib/findings.js';
import { formatFinding } from '../lib/findings.js';

export function printWarnings(warnings: Finding[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${formatFinding(warning)}\n`);
}

export function info(line: string): void {
  process.stdout.write(`${line}\n`);
}

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

/**
 * Text for a terminal that may hold what a broker said: queue, policy and vhost names are
 * anyone's to choose, and an ESC or a C1 character in one would let it retitle the window, clear
 * the screen or hide lines. Every control character but the line break is shown as `\uXXXX`
 * instead. On JSON text it only touches DEL and C1 (JSON.stringify escapes the rest itself, and
 * leaves those raw), and `\uXXXX` is the same character to a JSON reader.
 */
export function forTerminal(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => (c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
