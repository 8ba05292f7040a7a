import type { ChartSpec } from './types.js';

export type { ChartPanel, ChartSeries, ChartSpec } from './types.js';

/**
 * A PNG of `spec`: message rates and queue depth for `/rmq status` and alerts.
 *
 * Everything past this file (the SVG layout and the native rasteriser) is imported here, on the
 * first chart, so neither the CLI nor the bot's startup pays for it. Throws RangeError for a spec
 * that cannot be drawn (no panels, an empty time window, an absurd size).
 */
export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  const { chartSvg } = await import('./chart-svg.js');
  const { rasterise } = await import('./rasterise.js');
  return rasterise(chartSvg(spec));
}
