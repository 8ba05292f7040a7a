import { QUEUE_STATES, stateLabel } from './queue-states.js';
import type { StatusData } from './status-view.js';

/**
 * Queues named one by one in the human outputs (status's text, check's text, the Slack status
 * blocks); past that they are counted. Ten fit a terminal screen and a Slack section, and name
 * the worst of an incident; `--json` always has every queue.
 */
export const QUEUES_SHOWN = 10;

/** "10000 queues: 200 without a majority online, 1657 with members offline, …" (states with none left out). */
export function queueCountsLine(q: NonNullable<StatusData['queues']>): string {
  const parts = QUEUE_STATES.filter((s) => q.states[s] > 0).map((s) => `${q.states[s]} ${stateLabel(s, q.kind)}`);
  return `${q.total} queue${q.total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** The line after the first QUEUES_SHOWN: how many are left out and where they all are (`--json` in a terminal). */
export function moreQueuesLine(more: number, what = 'queues', where = '--json lists every one'): string {
  return `… and ${more} more ${what} (${where})`;
}

/**
 * The queues with a replica behind as the human outputs show them: every one while there are
 * few (the one line small clusters always had), else the counts per state, the worst
 * QUEUES_SHOWN by name, and how many more.
 */
export function queueStatusLines(q: NonNullable<StatusData['queues']>): string[] {
  if (q.unhealthy.length === 0) return [`queues (${q.kind}): ${q.total}, all replicas in sync`];
  if (q.unhealthy.length <= QUEUES_SHOWN) return [`queues (${q.kind}): ${q.unhealthy.join('; ')}`];
  return [
    `queues (${q.kind}): ${queueCountsLine(q)}`,
    `worst ${QUEUES_SHOWN} of ${q.unhealthy.length} with a replica behind:`,
    ...q.unhealthy.slice(0, QUEUES_SHOWN).map((u) => `  ${u}`),
    moreQueuesLine(q.unhealthy.length - QUEUES_SHOWN),
  ];
}
