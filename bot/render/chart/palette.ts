/**
 * Series colours: eight hues (Tableau 10 without its grey and pale yellow, which vanish on white)
 * that stay apart for the common colour-vision deficiencies when paired with the legend order.
 * Past eight, colours repeat with a dash pattern so lines stay distinguishable.
 */
export const SERIES_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#9c755f', '#ff9da7'] as const;

export interface SeriesStyle {
  colour: string;
  /** SVG stroke-dasharray, or undefined for a solid line */
  dash: string | undefined;
}

const DASHES = [undefined, '6 3', '2 3'];

export function seriesStyle(index: number): SeriesStyle {
  const n = SERIES_COLOURS.length;
  return { colour: SERIES_COLOURS[index % n]!, dash: DASHES[Math.floor(index / n) % DASHES.length] };
}
