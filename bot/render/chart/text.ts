/**
 * Text helpers for the SVG. Widths are estimated from DejaVu Sans advance widths (the only font
 * the rasteriser loads), slightly generous so a legend laid out with them never overlaps.
 */

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

// DejaVu Sans advances in em (units/2048), grouped: most text here is lower case, digits and units
const NARROW = new Set([..."iljtfI.,:;!|'()[] "]);
const WIDE = new Set([...'mwMW%@']);

/** Estimated advance of `s` at `sizePx` (bold faces are about 10 % wider). */
export function textWidth(s: string, sizePx: number, bold = false): number {
  let em = 0;
  for (const ch of s) {
    if (NARROW.has(ch)) em += 0.34;
    else if (WIDE.has(ch)) em += 0.98;
    else if (ch >= 'A' && ch <= 'Z') em += 0.72;
    else em += 0.64;
  }
  return em * sizePx * (bold ? 1.1 : 1);
}

/** Cut `s` to fit `maxPx`, ending with an ellipsis. */
export function fitText(s: string, sizePx: number, maxPx: number, bold = false): string {
  if (textWidth(s, sizePx, bold) <= maxPx) return s;
  const chars = [...s];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, sizePx, bold) > maxPx) chars.pop();
  return `${chars.join('')}…`;
}

/** Coordinates with one decimal: enough for anti-aliasing, and the SVG stays small and stable. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}
