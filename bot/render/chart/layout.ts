/**
 * Sizes of the chart's furniture in pixels, tuned on 900 x 500 (Slack's preview width) and used at
 * any size: text stays the same size, the plots take what is left.
 */
export const LAYOUT = {
  defaultWidth: 900,
  defaultHeight: 500,
  minWidth: 320,
  maxWidth: 4000,
  minHeight: 200,
  maxHeight: 4000,
  /** outer margin left and right */
  margin: 16,
  titleSize: 16,
  titleBaseline: 26,
  /** where the first panel starts */
  titleBand: 42,
  panelTitleSize: 13,
  legendSize: 12,
  legendRowHeight: 18,
  /** space between a panel's header rows and its plot */
  headerGap: 8,
  panelGap: 16,
  axisLabelSize: 11,
  /** plot left edge: room for y labels such as "1.25M" */
  plotLeft: 58,
  plotRightMargin: 22,
  /** under the last plot, for the HH:MM labels */
  timeAxisBand: 24,
  /** fewest pixels between two time labels / value gridlines */
  timeLabelGap: 72,
  valueTickGap: 40,
  minPlotHeight: 48,
  lineWidth: 1.75,
  dotRadius: 3.25,
  colours: { text: '#222222', muted: '#666666', grid: '#e8e8e8', timeGrid: '#f1f1f1', baseline: '#9a9a9a' },
} as const;
