import type { CHECK_IDS, METRIC_CHECK_IDS } from '../catalog.js';

/**
 * What `check` (and the bot's watcher) says is wrong: one finding per problem, in plain words,
 * each with the runbook command that addresses it. Pure: judged from facts gathered elsewhere.
 */
export type CheckId = (typeof CHECK_IDS)[number];
export type MetricCheckId = (typeof METRIC_CHECK_IDS)[number];
export type Severity = 'degraded' | 'critical';

export interface HealthFinding {
  check: CheckId | MetricCheckId;
  severity: Severity;
  /** What it is about: a node, a queue, a listener, the cluster. */
  subject: string;
  /** Plain words: what is wrong and what it means for clients. */
  what: string;
  /** The runbook command that addresses it. */
  action: string;
  /**
   * The same runbook step as an action this tool runs, when there is one: what the bot's alert
   * buttons offer (through the same authorization, confirmation, lock and audit as a command).
   */
  run?: RunbookStep;
}

export interface RunbookStep {
  /** `rotate-certs` is offered only where the action table has it (the bot checks before it shows a button). */
  action: 'restart' | 'deploy' | 'join' | 'revive' | 'sync' | 'rebalance' | 'partitions' | 'status' | 'logs' | 'rotate-certs';
  argv: string[];
}
