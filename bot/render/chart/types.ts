/**
 * What the bot hands the chart renderer: plain numbers, no library types, so callers (status,
 * alerts) build a spec without loading anything and the renderer can change underneath them.
 */

/** One line on a panel. Points need not be sorted; a non-finite `v` breaks the line there. */
export interface ChartSeries {
  name: string;
  points: Array<{ t: number /* epoch ms */; v: number }>;
}

/** One plot with its own y axis; all panels of a chart share the time axis. */
export interface ChartPanel {
  title: string;
  /** shown beside the title, e.g. 'msg/s', 'messages' */
  unit: string;
  series: ChartSeries[];
}

export interface ChartSpec {
  title: string;
  /** the time window shown, epoch ms; points outside it are cut off at the plot's edge */
  from: number;
  to: number;
  /** 1 or 2, stacked vertically */
  panels: ChartPanel[];
  /** pixels; default 900 x 500, a size Slack previews without scaling text to mush */
  width?: number;
  height?: number;
}
