import { CONTROL_CHARACTER } from './names.js';

/**
 * `.env` as Docker Compose reads it, and as rmq-compose writes it. Written values are always
 * single-quoted (Compose takes them literally: no `$` interpolation, no escapes), so a password
 * holding `$`, `#`, spaces or quotes means exactly itself; control characters are refused before
 * anything is written, because no quoting keeps a newline from starting a new line.
 */

/** KEY=value lines; comments and blank lines skipped; quotes removed as Compose does. */
export function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    values.set(match[1]!, unquote(match[2]!));
  }
  return values;
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1);
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    return raw.slice(1, -1).replace(/\\(["\\$nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  // unquoted: an inline comment starts at " #"
  const hash = raw.search(/\s#/);
  return hash >= 0 ? raw.slice(0, hash).trimEnd() : raw;
}

export class EnvValueError extends Error {}

/**
 * Why a value cannot be written as a .env line, or undefined when it can. The spec rules ask this
 * too, so a bad inline secret is a finding before anything is written, not a crash halfway.
 */
export function envValueProblem(value: string): string | undefined {
  if (CONTROL_CHARACTER.test(value)) return 'the value contains a control character (a newline?), which a .env line cannot hold';
  // Compose v1 and v2 escape differently inside double quotes; single quotes are literal in both
  if (value.includes("'")) return "the value contains a single quote ('), which rmq-compose does not write to .env; choose one without";
  return undefined;
}

/** One `KEY='value'` line; throws for a value no .env line can hold. */
export function formatEnvLine(variable: string, value: string): string {
  const problem = envValueProblem(value);
  if (problem) throw new EnvValueError(`${variable}: ${problem}`);
  return `${variable}='${value}'`;
}

/** New .env text: the old text untouched, then the new entries. */
export function appendToEnvFile(existingText: string, append: ReadonlyArray<{ variable: string; value: string }>, header: string): string {
  if (append.length === 0) return existingText;
  const lines = append.map((e) => formatEnvLine(e.variable, e.value));
  const prefix =
    existingText === ''
      ? `# ${header}\n# Secrets of this cluster. Mode 0600; rmq-compose adds missing entries and never overwrites one.\n`
      : existingText.endsWith('\n')
        ? existingText
        : `${existingText}\n`;
  return `${prefix}${lines.join('\n')}\n`;
}
