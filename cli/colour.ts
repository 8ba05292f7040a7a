/**
 * Colour for the terminal, the way most CLIs decide it (https://no-color.org, FORCE_COLOR):
 * NO_COLOR set to anything but "" turns it off, whatever else says; else FORCE_COLOR turns it on
 * ("0" or "false" off); else a stream that is a terminal able to show colours (not TERM=dumb)
 * gets it. Decided per stream: `error:` on a terminal's stderr is red while stdout goes to a
 * file plain. Only labels and verdicts are coloured, never --json output or what a broker said.
 */

/** What the decision reads of a stream: a tty.WriteStream has both, a pipe or a file neither. */
export interface ColourStream {
  isTTY?: boolean;
  hasColors?: () => boolean;
}

export function colourEnabled(stream: ColourStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR.toLowerCase() !== 'false';
  return stream.isTTY === true && (stream.hasColors?.() ?? false);
}

export type Colour = 'red' | 'yellow' | 'green' | 'bold';

// SGR on and the matching off (39 default colour, 22 normal intensity), so a coloured word never
// changes the text around it
const SGR: Record<Colour, [number, number]> = { red: [31, 39], yellow: [33, 39], green: [32, 39], bold: [1, 22] };

/** `text` in `colour` when `on`, else as it is. */
export function paint(text: string, colour: Colour, on: boolean): string {
  if (!on) return text;
  const [open, close] = SGR[colour];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** For the standard streams: the same decision for each, made where the text is written. */
export const stderrColour = (): boolean => colourEnabled(process.stderr);
export const stdoutColour = (): boolean => colourEnabled(process.stdout);
