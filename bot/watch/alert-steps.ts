import type { RunbookStep } from '../../ops/index.js';
import { stepKey, type Incident } from './incident.js';

/** Slack shows five buttons on one line; more is a wall nobody reads at 3 a.m. */
const MAX_STEPS = 4;

/**
 * The runbook steps an alert offers as buttons: what its open findings name (restart rabbit2,
 * revive, sync…), then "Show status" and "Show logs" of the first node it is about. `runs`
 * says whether the bot's action table has an action: a step it would refuse on press (an
 * action this build does not have) is not offered; the finding's text still names it.
 */
export function alertSteps(incident: Incident, runs: (action: string) => boolean = () => true): RunbookStep[] {
  const steps = new Map<string, RunbookStep>();
  const put = (s: RunbookStep) => (runs(s.action) ? steps.set(stepKey(s), s) : undefined);
  const open = [...incident.open.values()].sort((a, b) => (a.finding.severity === b.finding.severity ? 0 : a.finding.severity === 'critical' ? -1 : 1));
  for (const t of open) if (t.finding.run && t.finding.run.action !== 'status') put(t.finding.run);
  put({ action: 'status', argv: [] });
  const node = open.find((t) => ['node-down', 'not-clustered', 'maintenance', 'alarm'].includes(t.finding.check))?.finding.subject;
  if (node) put({ action: 'logs', argv: [node, '--tail', '50'] });
  return [...steps.values()].slice(0, MAX_STEPS);
}

/** Button text for a step: what a person would say. */
export function stepLabel(s: RunbookStep): string {
  const [first] = s.argv;
  switch (s.action) {
    case 'restart':
      return `Restart ${first}`;
    case 'deploy':
      return 'Deploy (start what is stopped)';
    case 'join':
      return `Join ${first}`;
    case 'revive':
      return `Revive ${first}`;
    case 'sync':
      return `Sync ${first}`;
    case 'rebalance':
      return 'Rebalance leaders';
    case 'partitions':
      return 'Show partitions';
    case 'status':
      return 'Show status';
    case 'logs':
      return `Show logs ${first}`;
    case 'rotate-certs':
      return first === '--new-ca' ? 'New CA (step 1 of 3)' : 'Rotate certificates';
  }
}
