import { formatCompact, formatWindowUtc } from './format.js';
import { CHART_FONT_FAMILY } from './fonts.js';
import { LAYOUT } from './layout.js';
import { legendSvg, placeLegend, type PlacedEntry } from './legend.js';
import { seriesStyle } from './palette.js';
import { panelSvg, type PlotBox } from './panel-svg.js';
import { seriesData } from './series-data.js';
import { escapeXml, fitText, px, textWidth } from './text.js';
import { timeTicks } from './ticks.js';
import type { ChartSpec } from './types.js';

function size(value: number | undefined, fallback: number, min: number, max: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`chart ${what} must be a whole number from ${min} to ${max} (got ${v})`);
  return v;
}

/** Checks what cannot be drawn; everything else (empty series, odd values) is drawn as it is. */
function checked(spec: ChartSpec): { width: number; height: number } {
  if (spec.panels.length < 1 || spec.panels.length > 2) throw new RangeError(`a chart has 1 or 2 panels (got ${spec.panels.length})`);
  if (!Number.isFinite(spec.from) || !Number.isFinite(spec.to) || spec.to <= spec.from) throw new RangeError('chart time window: `to` must be after `from`');
  return {
    width: size(spec.width, LAYOUT.defaultWidth, LAYOUT.minWidth, LAYOUT.maxWidth, 'width'),
    height: size(spec.height, LAYOUT.defaultHeight, LAYOUT.minHeight, LAYOUT.maxHeight, 'height'),
  };
}

/**
 * The whole chart as SVG text: title and UTC window on top, then the panels stacked, each with a
 * header (title, unit, legend with latest values) over its plot, sharing one time axis at the bottom.
 */
export function chartSvg(spec: ChartSpec): string {
  const { width, height } = checked(spec);
  const C = LAYOUT.colours;
  const left = LAYOUT.plotLeft;
  const right = width - LAYOUT.plotRightMargin;
  const out: string[] = [];

  const windowText = formatWindowUtc(spec.from, spec.to);
  const windowWidth = textWidth(windowText, 12);
  const title = fitText(spec.title, LAYOUT.titleSize, width - 2 * LAYOUT.margin - windowWidth - 24, true);
  out.push(
    `<text x="${LAYOUT.margin}" y="${LAYOUT.titleBaseline}" font-size="${LAYOUT.titleSize}" font-weight="bold" fill="${C.text}">${escapeXml(title)}</text>`,
  );
  out.push(`<text x="${width - LAYOUT.margin}" y="${LAYOUT.titleBaseline}" font-size="12" fill="${C.muted}" text-anchor="end">${escapeXml(windowText)}</text>`);

  // headers first: their legend rows decide how much height the plots get
  let styleIndex = 0;
  const headers = spec.panels.map((panel) => {
    const series = panel.series.map((s) => seriesData(s, spec.from, spec.to));
    const styles = series.map(() => seriesStyle(styleIndex++));
    const headerTitle = fitText(panel.title, LAYOUT.panelTitleSize, (right - left) / 2, true);
    const unitX = left + textWidth(headerTitle, LAYOUT.panelTitleSize, true) + 8;
    const titleRight = unitX + textWidth(panel.unit, 12);
    const entries = series.map((s, i) => ({ name: s.name, value: s.last === undefined ? '–' : formatCompact(s.last), style: styles[i]! }));
    const legend = placeLegend(entries, titleRight, left, right);
    return { panel, series, styles, headerTitle, unitX, legend };
  });

  const n = headers.length;
  const headerHeights = headers.map((h) => h.legend.rows * LAYOUT.legendRowHeight + LAYOUT.headerGap);
  const plotsHeight = height - LAYOUT.titleBand - LAYOUT.timeAxisBand - (n - 1) * LAYOUT.panelGap - headerHeights.reduce((a, b) => a + b, 0);
  const plotHeight = Math.max(LAYOUT.minPlotHeight, plotsHeight / n);
  const ticks = timeTicks(spec.from, spec.to, right - left, LAYOUT.timeLabelGap);

  let top = LAYOUT.titleBand;
  headers.forEach((h, i) => {
    const baseline = top + LAYOUT.panelTitleSize;
    out.push(
      `<text x="${left}" y="${px(baseline)}" font-size="${LAYOUT.panelTitleSize}" font-weight="bold" fill="${C.text}">${escapeXml(h.headerTitle)}</text>`,
    );
    out.push(`<text x="${px(h.unitX)}" y="${px(baseline)}" font-size="12" fill="${C.muted}">${escapeXml(h.panel.unit)}</text>`);
    out.push(legendSvg(h.legend.placed as PlacedEntry[], top));
    const box: PlotBox = { left, right, top: top + headerHeights[i]!, bottom: top + headerHeights[i]! + plotHeight };
    out.push(panelSvg({ id: `plot${i}`, box, from: spec.from, to: spec.to, series: h.series, styles: h.styles, timeTicks: ticks, timeLabels: i === n - 1 }));
    top = box.bottom + LAYOUT.panelGap;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...out,
    '</svg>',
  ].join('\n');
}
