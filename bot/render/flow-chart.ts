import { ratesFromCounters, type FlowHistory, type MetricSample, type StatusData } from '../../ops/index.js';
import { renderChartPng, type ChartSpec } from './chart/index.js';
import type { OutgoingFile } from './result-blocks.js';
import { md } from './slack-text.js';

/** The watcher's samples as the same history the management API gives `status`. */
export function flowFromSamples(samples: readonly MetricSample[]): FlowHistory {
  const series = (pick: (s: MetricSample) => number | undefined) => samples.flatMap((s) => (pick(s) === undefined ? [] : [{ t: s.at, v: pick(s)! }]));
  return {
    from: samples[0]?.at ?? 0,
    to: samples.at(-1)?.at ?? 0,
    publishRate: ratesFromCounters(samples.map((s) => ({ t: s.at, v: s.published }))),
    deliverRate: ratesFromCounters(samples.map((s) => ({ t: s.at, v: s.delivered }))),
    ready: series((s) => s.ready),
    unacked: series((s) => s.unacked),
  };
}

/** Two panels: rates above, depth below, over the span the history covers (up to an hour). */
export function flowChartSpec(title: string, flow: FlowHistory): ChartSpec {
  return {
    title,
    from: flow.from,
    to: flow.to,
    panels: [
      {
        title: 'Message rates',
        unit: 'msg/s',
        series: [
          { name: 'publish', points: flow.publishRate },
          { name: 'deliver', points: flow.deliverRate },
        ],
      },
      {
        title: 'Queue depth (all queues)',
        unit: 'messages',
        series: [
          { name: 'ready', points: flow.ready },
          { name: 'unacked', points: flow.unacked },
        ],
      },
    ],
  };
}

const hasData = (flow: FlowHistory) => flow.to > flow.from && [flow.publishRate, flow.deliverRate, flow.ready, flow.unacked].some((s) => s.length > 1);

/** An alert's chart, from the watcher's own samples; none until there are two of them. */
export async function flowChartOfSamples(cluster: string, samples: readonly MetricSample[]): Promise<OutgoingFile | undefined> {
  const flow = flowFromSamples(samples);
  if (!hasData(flow)) return undefined;
  // the title is Slack text (the picture's own title is drawn, not parsed)
  return {
    filename: `${cluster}-flow.png`,
    title: md`${cluster}: message rates and queue depth (watcher samples)`.markup,
    content: await renderChartPng(flowChartSpec(`${cluster}: the last ${span(flow)}`, flow)),
  };
}

/** `/rmq status`'s chart, from the management API's samples of the last hour. */
export async function flowChartOfStatus(data: StatusData): Promise<OutgoingFile | undefined> {
  if (!data.flow || !hasData(data.flow)) return undefined;
  return {
    filename: `${data.cluster}-status.png`,
    title: md`${data.cluster}: message rates and queue depth, last hour`.markup,
    content: await renderChartPng(flowChartSpec(`${data.cluster}: the last ${span(data.flow)}`, data.flow)),
  };
}

function span(flow: FlowHistory): string {
  const min = Math.max(1, Math.round((flow.to - flow.from) / 60_000));
  return min >= 55 ? 'hour' : `${min} min`;
}
