import { CONTROL_CHARACTER } from '../../contract/names.js';
import { InvalidArgumentError } from '../errors.js';

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

/**
 * A tiny strict argv reader shared by every action, so the CLI and Slack parse the same way:
 * declared flags only (boolean or with one value), everything else positional. Unknown flags are
 * errors rather than silently ignored, because a mistyped `--disc` must not become a ram join.
 */
export type FlagSpec = Record<string, 'boolean' | 'value'>;

export interface ParsedArgv {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function readArgv(argv: readonly string[], spec: FlagSpec, usage: string): ParsedArgv {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [rawName, inline] = splitOnce(arg.slice(2), '=');
    const kind = spec[rawName];
    if (!kind) throw new InvalidArgumentError(`unknown option --${maskedAndClipped(rawName)}; usage: ${usage}`);
    if (flags.has(rawName)) throw new InvalidArgumentError(`--${rawName} given twice; usage: ${usage}`);
    if (kind === 'boolean') {
      if (inline !== undefined) throw new InvalidArgumentError(`--${rawName} takes no value; usage: ${usage}`);
      flags.set(rawName, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new InvalidArgumentError(`--${rawName} needs a value; usage: ${usage}`);
    flags.set(rawName, value);
  }
  return { positionals, flags };
}

/** Exactly `min`..`max` positionals, else a usage error. */
export function expectPositionals(p: ParsedArgv, min: number, max: number, usage: string): string[] {
  if (p.positionals.length < min) throw new InvalidArgumentError(`missing argument; usage: ${usage}`);
  if (p.positionals.length > max) throw new InvalidArgumentError(`unexpected argument "${maskedAndClipped(p.positionals[max]!)}"; usage: ${usage}`);
  return p.positionals;
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * User input echoed in an error: each control character (contract/names.ts) masked as "?" and the
 * text clipped to 60 characters, so neither a terminal escape nor a huge argument gets through.
 * Generated files escape instead (generator/render/escape-control-characters.ts): they keep it all.
 */
export function maskedAndClipped(text: string): string {
  const clean = text.replace(CONTROL_CHARACTERS, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}
