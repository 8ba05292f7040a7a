import { moreQueuesLine, queueCountsLine, QUEUES_SHOWN } from '../status/queue-lines.js';
import type { StatusData } from '../status/status-view.js';
import { bySeverity, findingLine } from './findings.js';
import type { CheckId, HealthFinding } from './health-finding.js';

/** The checks that give one finding per queue: thousands when a node under many queues stops. */
const PER_QUEUE: ReadonlySet<HealthFinding['check']> = new Set<CheckId>(['no-majority', 'unsynchronised']);

/**
 * `check`'s text: every finding worst first, as ever, except that past QUEUES_SHOWN queue findings
 * the rest are counted (per check) instead of printed, followed by the queues' counts per state.
 * The queue findings come in the order status puts its queues (worst first), so the ones shown
 * are the worst; `--json` keeps every finding.
 */
export function checkText(findings: readonly HealthFinding[], notes: readonly string[], status: Pick<StatusData, 'queues'>): string {
  const lines: string[] = [];
  const leftOut = new Map<HealthFinding['check'], number>();
  let shown = 0;
  for (const f of bySeverity(findings)) {
    if (PER_QUEUE.has(f.check) && shown >= QUEUES_SHOWN) {
      leftOut.set(f.check, (leftOut.get(f.check) ?? 0) + 1);
      continue;
    }
    if (PER_QUEUE.has(f.check)) shown += 1;
    lines.push(findingLine(f));
  }
  if (leftOut.size > 0) {
    const more = [...leftOut.values()].reduce((a, b) => a + b, 0);
    const perCheck = [...leftOut].map(([check, n]) => `${n} ${check}`).join(', ');
    lines.push(moreQueuesLine(more, `queue findings: ${perCheck}`));
    if (status.queues) lines.push(`INFO queues (${status.queues.kind}): ${queueCountsLine(status.queues)}`);
  }
  lines.push(...notes.map((n) => `INFO ${n}`));
  return lines.join('\n');
}
