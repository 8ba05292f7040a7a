import type { PlanMode } from '../plan/plan-mode.js';

/** What `migrate` is asked (parsed by the action) and what it returns. */
export type MigrateArgs =
  | {
      kind: 'move';
      image: string | undefined;
      version: string | undefined;
      subnet: string | undefined;
      portOffset: number;
      mode: PlanMode;
      /** The words without --dry-run and --plan: what the plan records. */
      argv: string[];
    }
  | { kind: 'rollback' }
  | { kind: 'retire' };

export interface MigrateData {
  kind: MigrateArgs['kind'];
  green: { dir: string; spec: string };
  /** Messages per moved queue at the end: on blue (0 once drained) and on green. */
  queues: Array<{ vhost: string; name: string; blue: number; green: number }>;
  /** What the definitions transform did, one line per queue, policy and warning. */
  report: string[];
}

export type MoveArgs = Extract<MigrateArgs, { kind: 'move' }>;
