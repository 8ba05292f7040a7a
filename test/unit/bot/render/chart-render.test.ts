import { describe, expect, it } from '@jest/globals';
import { chartSvg } from '../../../../bot/render/chart/chart-svg.js';
import { decimate } from '../../../../bot/render/chart/decimate.js';
import { formatClockUtc, formatCompact, formatTick, formatWindowUtc } from '../../../../bot/render/chart/format.js';
import { renderChartPng, type ChartSeries, type ChartSpec } from '../../../../bot/render/chart/index.js';
import { SERIES_COLOURS, seriesStyle } from '../../../../bot/render/chart/palette.js';
import { rasterise, rasteriseOptions } from '../../../../bot/render/chart/rasterise.js';
import { seriesData } from '../../../../bot/render/chart/series-data.js';
import { timeTicks, valueTicks } from '../../../../bot/render/chart/ticks.js';
import { countPixels, decodePng, near, pngSize } from '../../../helpers/png.js';

const TO = Date.UTC(2025, 4, 14, 15, 7, 0);
const FROM = TO - 3_600_000;
const STEP = 5_000;

function constant(name: string, v: number): ChartSeries {
  const points = [];
  for (let t = FROM; t <= TO; t += STEP) points.push({ t, v });
  return { name, points };
}

function wave(name: string, scale: number): ChartSeries {
  const points = [];
  for (let t = FROM; t <= TO; t += STEP) points.push({ t, v: scale * (1 + Math.sin((t - FROM) / 300_000)) });
  return { name, points };
}

const typical: ChartSpec = {
  title: 'rabbit-prod',
  from: FROM,
  to: TO,
  panels: [
    { title: 'Message rates', unit: 'msg/s', series: [wave('publish', 800), wave('deliver', 780)] },
    { title: 'Queue depth', unit: 'messages', series: [wave('ready', 40_000), wave('unacked', 300)] },
  ],
};

const dark = (r: number, g: number, b: number): boolean => r + g + b < 3 * 128;
const notWhite = (r: number, g: number, b: number): boolean => r + g + b < 3 * 250;
const TITLE_AREA = { x0: 0, y0: 4, x1: 400, y1: 36 };

describe('chart PNG', () => {
  it('is a PNG of the default Slack size, or of the size asked for', async () => {
    const png = await renderChartPng(typical);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual({ width: 900, height: 500 });
    expect(pngSize(await renderChartPng({ ...typical, width: 640, height: 360 }))).toEqual({ width: 640, height: 360 });
  });

  it('is not blank: many colours, and ink well beyond the background', async () => {
    const img = decodePng(await renderChartPng(typical));
    const colours = new Set<number>();
    for (let i = 0; i < img.rgba.length; i += 4) colours.add(img.rgba.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(50);
    expect(countPixels(img, notWhite)).toBeGreaterThan(img.width * img.height * 0.02);
  });

  it('draws each series where its values are, in its own colour', async () => {
    const spec: ChartSpec = {
      title: 'levels',
      from: FROM,
      to: TO,
      panels: [{ title: 'Queue depth', unit: 'messages', series: [constant('low', 10), constant('high', 90)] }],
    };
    const img = decodePng(await renderChartPng(spec));
    const [low, high] = [near(SERIES_COLOURS[0]), near(SERIES_COLOURS[1])];
    // the axis runs 0..100 over the plot: 10 is in the lower part, 90 in the upper part
    const upper = { x0: 60, y0: 80, x1: 880, y1: 250 };
    const lower = { x0: 60, y0: 300, x1: 880, y1: 480 };
    expect(countPixels(img, low, lower)).toBeGreaterThan(500);
    expect(countPixels(img, low, upper)).toBe(0);
    expect(countPixels(img, high, upper)).toBeGreaterThan(500);
    expect(countPixels(img, high, lower)).toBe(0);

    // the same chart with 'high' empty has none of its colour in the plot (only in the legend)
    const without = decodePng(await renderChartPng({ ...spec, panels: [{ ...spec.panels[0]!, series: [constant('low', 10), { name: 'high', points: [] }] }] }));
    const plot = { x0: 0, y0: 62, x1: 900, y1: 500 }; // below the legend
    expect(countPixels(without, high, plot)).toBe(0);
    expect(countPixels(without, low, plot)).toBeGreaterThan(500);
  });

  it('shows text with the packaged font only (system fonts are never loaded)', async () => {
    expect(rasteriseOptions().font?.loadSystemFonts).toBe(false);
    const svg = chartSvg(typical);
    const withFont = decodePng(await rasterise(svg));
    const noFontAtAll = decodePng(await rasterise(svg, rasteriseOptions([])));
    expect(countPixels(withFont, dark, TITLE_AREA)).toBeGreaterThan(150);
    // proof the check can fail: with no font loaded, the title area is empty
    expect(countPixels(noFontAtAll, dark, TITLE_AREA)).toBe(0);
  });

  it('draws "no samples" for panels without data instead of failing', async () => {
    const spec: ChartSpec = {
      title: 'nothing yet',
      from: FROM,
      to: TO,
      panels: [
        { title: 'Message rates', unit: 'msg/s', series: [{ name: 'publish', points: [] }] },
        { title: 'Queue depth', unit: 'messages', series: [] },
      ],
    };
    expect(chartSvg(spec).match(/>no samples</g)).toHaveLength(2);
    const img = decodePng(await renderChartPng(spec));
    expect(pngSize(await renderChartPng(spec))).toEqual({ width: 900, height: 500 });
    // the words sit in the middle of each plot
    expect(countPixels(img, dark, { x0: 380, y0: 130, x1: 560, y1: 190 })).toBeGreaterThan(50);
  });

  it('renders the same bytes for the same spec', async () => {
    expect((await renderChartPng(typical)).equals(await renderChartPng(typical))).toBe(true);
  });

  it('refuses specs it cannot draw', async () => {
    await expect(renderChartPng({ ...typical, panels: [] })).rejects.toThrow(RangeError);
    await expect(renderChartPng({ ...typical, panels: [...typical.panels, ...typical.panels] })).rejects.toThrow(RangeError);
    await expect(renderChartPng({ ...typical, to: FROM })).rejects.toThrow(RangeError);
    await expect(renderChartPng({ ...typical, width: 100_000 })).rejects.toThrow(RangeError);
  });
});

describe('chart SVG', () => {
  it('draws a lone sample as a dot and breaks lines at gaps and non-finite values', () => {
    const gappy = constant('gappy', 5).points.filter((p) => p.t < FROM + 900_000 || p.t > FROM + 1_500_000);
    gappy.push({ t: FROM + 2_000_002, v: Number.NaN });
    const svg = chartSvg({
      title: 't',
      from: FROM,
      to: TO,
      panels: [
        {
          title: 'p',
          unit: 'u',
          series: [
            { name: 'lone', points: [{ t: FROM + 60_000, v: 3 }] },
            { name: 'gappy', points: gappy },
          ],
        },
      ],
    });
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
  });

  it('escapes names and cuts over-long ones', () => {
    const svg = chartSvg({ title: '<b>&', from: FROM, to: TO, panels: [{ title: 'p', unit: 'u', series: [{ name: 'q'.repeat(500), points: [] }] }] });
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).toContain('…');
    expect(svg).not.toContain('q'.repeat(200));
  });

  it('gives eight series eight colours, then repeats them dashed', () => {
    const styles = Array.from({ length: 9 }, (_, i) => seriesStyle(i));
    expect(new Set(styles.slice(0, 8).map((s) => s.colour)).size).toBe(8);
    expect(styles.slice(0, 8).every((s) => s.dash === undefined)).toBe(true);
    expect(styles[8]).toEqual({ colour: styles[0]!.colour, dash: expect.any(String) });
  });
});

describe('chart data', () => {
  it('keeps one point beyond each edge of the window and ranges over the window only', () => {
    const d = seriesData(
      {
        name: 's',
        points: [
          { t: FROM - 20_000, v: 1000 },
          { t: FROM - 10_000, v: 7 },
          { t: FROM + 10_000, v: 2 },
          { t: TO + 10_000, v: 9 },
          { t: TO + 20_000, v: 1000 },
        ],
      },
      FROM,
      TO,
    );
    expect(d.runs).toEqual([
      [
        { t: FROM - 10_000, v: 7 },
        { t: FROM + 10_000, v: 2 },
        { t: TO + 10_000, v: 9 },
      ],
    ]);
    expect([d.lo, d.hi, d.last]).toEqual([2, 2, 2]);
  });

  it('thins long runs to at most two points per pixel column, keeping spikes', () => {
    const run = Array.from({ length: 100_000 }, (_, i) => ({ t: FROM + i * 36, v: i === 50_000 ? 1e6 : 1 }));
    const thin = decimate(run, FROM, TO, 800);
    expect(thin.length).toBeLessThanOrEqual(1600);
    expect(thin.some((p) => p.v === 1e6)).toBe(true);
  });
});

describe('chart labels', () => {
  it('prints values short', () => {
    expect([0, 0.25, 812, 999.96, 12_345, 1_234_567, -40_000, Number.NaN].map(formatCompact)).toEqual([
      '0',
      '0.25',
      '812',
      '1k',
      '12.3k',
      '1.23M',
      '-40k',
      '–',
    ]);
    expect([0, 2500, 5000, 7500, 10_000].map((v) => formatTick(v, 2500))).toEqual(['0', '2.5k', '5k', '7.5k', '10k']);
    expect([0.25, 0.5].map((v) => formatTick(v, 0.25))).toEqual(['0.25', '0.5']);
    expect(formatTick(1_200_000, 200_000)).toBe('1.2M');
  });

  it('puts value ticks on round steps from zero', () => {
    expect(valueTicks(0, 41_234, 5)).toEqual({ min: 0, max: 50_000, step: 10_000, values: [0, 10_000, 20_000, 30_000, 40_000, 50_000] });
    expect(valueTicks(0, 0, 4).values).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(valueTicks(-3, 3, 3).values).toEqual([-4, -2, 0, 2, 4]);
  });

  it('labels time in whole UTC minutes, HH:MM', () => {
    const ticks = timeTicks(FROM, TO, 820, 72);
    expect(ticks.map(formatClockUtc)).toEqual(['14:10', '14:20', '14:30', '14:40', '14:50', '15:00']);
    expect(formatWindowUtc(FROM, TO)).toBe('2025-05-14 14:07–15:07 UTC');
    expect(formatWindowUtc(Date.UTC(2025, 0, 1, 23, 30), Date.UTC(2025, 0, 2, 0, 30))).toBe('2025-01-01 23:30–2025-01-02 00:30 UTC');
  });
});
