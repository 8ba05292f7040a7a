import { decimate } from './decimate.js';
import { formatClockUtc, formatTick } from './format.js';
import { LAYOUT } from './layout.js';
import type { SeriesStyle } from './palette.js';
import type { SeriesData } from './series-data.js';
import { escapeXml, px } from './text.js';
import { valueTicks } from './ticks.js';

export interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface PanelDrawing {
  /** unique within the SVG, for the clip path */
  id: string;
  box: PlotBox;
  from: number;
  to: number;
  series: SeriesData[];
  styles: SeriesStyle[];
  timeTicks: number[];
  /** only the bottom panel prints HH:MM; the others share its axis */
  timeLabels: boolean;
}

const C = LAYOUT.colours;

function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ''): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}" stroke-width="1"${extra}/>`;
}

function text(x: number, y: number, s: string, size: number, fill: string, anchor: 'start' | 'middle' | 'end'): string {
  return `<text x="${px(x)}" y="${px(y)}" font-size="${size}" fill="${fill}" text-anchor="${anchor}">${escapeXml(s)}</text>`;
}

/** Grid, axis labels and lines of one panel (its header, title and legend, are drawn by the chart). */
export function panelSvg(d: PanelDrawing): string {
  const { box, from, to } = d;
  const x = (t: number): number => box.left + ((t - from) / (to - from)) * (box.right - box.left);
  const out: string[] = [];
  const size = LAYOUT.axisLabelSize;

  for (const t of d.timeTicks) {
    out.push(line(x(t), box.top, x(t), box.bottom, C.timeGrid));
    if (d.timeLabels) out.push(text(x(t), box.bottom + size + 5, formatClockUtc(t), size, C.muted, 'middle'));
  }

  const withData = d.series.filter((s) => s.lo !== undefined);
  if (withData.length === 0) {
    out.push(line(box.left, box.bottom, box.right, box.bottom, C.baseline));
    out.push(text((box.left + box.right) / 2, (box.top + box.bottom) / 2 + 5, 'no samples', 13, C.muted, 'middle'));
    return out.join('\n');
  }

  const lo = Math.min(...withData.map((s) => s.lo!));
  const hi = Math.max(...withData.map((s) => s.hi!));
  const ticks = valueTicks(lo, hi, Math.max(2, Math.min(6, Math.round((box.bottom - box.top) / LAYOUT.valueTickGap))));
  const y = (v: number): number => box.bottom - ((v - ticks.min) / (ticks.max - ticks.min)) * (box.bottom - box.top);
  for (const v of ticks.values) {
    out.push(line(box.left, y(v), box.right, y(v), v === 0 ? C.baseline : C.grid));
    out.push(text(box.left - 8, y(v) + size * 0.36, formatTick(v, ticks.step), size, C.muted, 'end'));
  }

  // a little room above and below, so a line along the top or bottom is not cut in half
  const pad = LAYOUT.lineWidth + LAYOUT.dotRadius;
  out.push(
    `<clipPath id="${d.id}"><rect x="${px(box.left)}" y="${px(box.top - pad)}" width="${px(box.right - box.left)}" height="${px(box.bottom - box.top + 2 * pad)}"/></clipPath>`,
  );
  out.push(`<g clip-path="url(#${d.id})" fill="none" stroke-width="${LAYOUT.lineWidth}" stroke-linejoin="round" stroke-linecap="round">`);
  const columns = Math.max(1, Math.round(box.right - box.left));
  d.series.forEach((s, i) => {
    const style = d.styles[i]!;
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    for (const run of s.runs) {
      if (run.length === 1) {
        // a lone sample has no line to be part of: a dot shows it exists
        out.push(`<circle cx="${px(x(run[0]!.t))}" cy="${px(y(run[0]!.v))}" r="${LAYOUT.dotRadius}" fill="${style.colour}" stroke="none"/>`);
        continue;
      }
      const pts = decimate(run, from, to, columns)
        .map((p) => `${px(x(p.t))},${px(y(p.v))}`)
        .join(' ');
      out.push(`<polyline points="${pts}" stroke="${style.colour}"${dash}/>`);
    }
  });
  out.push('</g>');
  return out.join('\n');
}
