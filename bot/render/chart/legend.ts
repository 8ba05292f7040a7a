import { LAYOUT } from './layout.js';
import type { SeriesStyle } from './palette.js';
import { escapeXml, fitText, px, textWidth } from './text.js';

export interface LegendEntry {
  name: string;
  /** the latest value, already formatted ('–' when the series has no sample) */
  value: string;
  style: SeriesStyle;
}

export interface PlacedEntry extends LegendEntry {
  x: number;
  row: number;
}

const SWATCH = 16;
const SWATCH_GAP = 5;
const VALUE_GAP = 6;
const ITEM_GAP = 16;

function entryWidth(e: LegendEntry): number {
  const size = LAYOUT.legendSize;
  return SWATCH + SWATCH_GAP + textWidth(e.name, size) + VALUE_GAP + textWidth(e.value, size);
}

/**
 * Legend entries in right-aligned rows: the first row beside the panel title if there is room,
 * further rows under it across the whole width. Estimated widths are generous, so entries never
 * overlap; an over-long name is cut with an ellipsis rather than pushing others off the image.
 */
export function placeLegend(entries: LegendEntry[], titleRight: number, left: number, right: number): { placed: PlacedEntry[]; rows: number } {
  const maxName = (right - left) / 2;
  const fitted = entries.map((e) => ({ ...e, name: fitText(e.name, LAYOUT.legendSize, maxName) }));
  const rows: LegendEntry[][] = [[]];
  let used = 0;
  for (const e of fitted) {
    const w = entryWidth(e);
    const row = rows.length - 1;
    const room = right - (row === 0 ? titleRight + 2 * ITEM_GAP : left);
    if (used + (used ? ITEM_GAP : 0) + w > room && (used > 0 || row === 0)) {
      rows.push([e]);
      used = w;
    } else {
      rows[row]!.push(e);
      used += (used ? ITEM_GAP : 0) + w;
    }
  }
  const placed: PlacedEntry[] = [];
  rows.forEach((row, r) => {
    let x = right - row.reduce((sum, e, i) => sum + entryWidth(e) + (i ? ITEM_GAP : 0), 0);
    for (const e of row) {
      placed.push({ ...e, x, row: r });
      x += entryWidth(e) + ITEM_GAP;
    }
  });
  return { placed, rows: rows.length };
}

/** The legend's SVG; `top` is the header's top edge. */
export function legendSvg(placed: PlacedEntry[], top: number): string {
  const size = LAYOUT.legendSize;
  return placed
    .map((e) => {
      const baseline = top + e.row * LAYOUT.legendRowHeight + size;
      const mid = baseline - size * 0.35;
      const dash = e.style.dash ? ` stroke-dasharray="${e.style.dash}"` : '';
      const nameX = e.x + SWATCH + SWATCH_GAP;
      return (
        `<line x1="${px(e.x)}" y1="${px(mid)}" x2="${px(e.x + SWATCH)}" y2="${px(mid)}" stroke="${e.style.colour}" stroke-width="3"${dash}/>` +
        // value as a tspan: it follows the name's real width, not the estimate
        `<text x="${px(nameX)}" y="${px(baseline)}" font-size="${size}" fill="${LAYOUT.colours.text}">${escapeXml(e.name)}` +
        `<tspan dx="${VALUE_GAP}" fill="${LAYOUT.colours.muted}">${escapeXml(e.value)}</tspan></text>`
      );
    })
    .join('\n');
}
