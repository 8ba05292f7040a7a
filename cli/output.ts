import { CONTROL_CHARACTER } from '../contract/names.js';
import type { Finding } from '../lib/findings.js';
import { formatFinding } from '../lib/findings.js';
import { paint, stderrColour, stdoutColour } from './colour.js';

export function printWarnings(warnings: Finding[]): void {
  for (const warning of warnings) printWarning(formatFinding(warning));
}

/** `warning: <text>` on stderr, the label yellow where stderr takes colour (cli/colour.ts). */
export function printWarning(text: string): void {
  process.stderr.write(`${warningLabel()} ${text}\n`);
}

/** `error: <text>` on stderr, the label red where stderr takes colour. */
export function printError(text: string): void {
  process.stderr.write(`${errorLabel()} ${text}\n`);
}

export const errorLabel = (on = stderrColour()): string => paint('error:', 'red', on);
export const warningLabel = (on = stderrColour()): string => paint('warning:', 'yellow', on);

const VERDICT = /^((?:[^\s:]+: )?)(HEALTHY|DEGRADED|CRITICAL)\b/gm;
const VERDICT_COLOUR = { HEALTHY: 'green', DEGRADED: 'yellow', CRITICAL: 'red' } as const;

/**
 * `check`'s text with its verdicts coloured where stdout takes colour: the headline's
 * ("seed: DEGRADED …", HEALTHY green, DEGRADED yellow, CRITICAL red) and each finding's leading
 * severity. Only at the start of a line, so a queue named CRITICAL further on stays plain.
 */
export function colourVerdicts(text: string, on = stdoutColour()): string {
  if (!on) return text;
  return text.replace(VERDICT, (_, before: string, verdict: keyof typeof VERDICT_COLOUR) => `${before}${paint(verdict, VERDICT_COLOUR[verdict], true)}`);
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
