import type { ResvgRenderOptions } from '@resvg/resvg-js';
import { CHART_FONT_FAMILY, chartFontFiles } from './fonts.js';

/**
 * SVG → PNG with resvg (Rust, shipped as per-platform npm packages: nothing is downloaded or
 * compiled at install). System fonts are never loaded: text is drawn with the packaged font
 * only, so the PNG is the same on a bare CI box as on a desktop, and rendering skips a font scan.
 */
export function rasteriseOptions(fontFiles: string[] = chartFontFiles()): ResvgRenderOptions {
  return {
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    background: '#ffffff',
    fitTo: { mode: 'original' },
    logLevel: 'off',
  };
}

/** Runs on libuv's thread pool (renderAsync), so the bot keeps answering Slack while it draws. */
export async function rasterise(svg: string, options: ResvgRenderOptions = rasteriseOptions()): Promise<Buffer> {
  // @resvg/resvg-js is CommonJS: its exports may arrive as the default export only
  const mod = (await import('@resvg/resvg-js')) as typeof import('@resvg/resvg-js') & { default?: typeof import('@resvg/resvg-js') };
  const { renderAsync } = mod.default ?? mod;
  const image = await renderAsync(svg, options);
  return image.asPng();
}
