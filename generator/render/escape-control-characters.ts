import { CONTROL_CHARACTER } from '../../contract/names.js';

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

/**
 * Text that is not spec content (the spec's file name) but still lands in a comment line of a
 * config or of .env: control characters become `\uXXXX`, so a newline in a file name cannot
 * start a line of its own. The whole text is kept: unlike ops' `maskedAndClipped` (user input
 * echoed in an error), nothing is cut and every character can be read back.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
