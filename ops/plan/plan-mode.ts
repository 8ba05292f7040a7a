import type { ParsedArgv } from '../args/argv.js';
import { InvalidArgumentError } from '../errors.js';
import { PLAN_ID } from './action-plan.js';

/**
 * How a planned action runs: make the plan and apply it in one go (the default), only make and
 * show it (`--dry-run`), or apply the plan a dry run showed (`--plan <id>`), refused if anything
 * it was made from has changed since.
 */
export type PlanMode = { kind: 'apply' } | { kind: 'dry-run' } | { kind: 'apply-saved'; id: string };

/** The flags every planned action's parser adds to its own (ops/args/argv.ts). */
export const PLAN_FLAGS = { 'dry-run': 'boolean', plan: 'value' } as const;

export function planModeOf(p: ParsedArgv): PlanMode {
  const dryRun = p.flags.get('dry-run') === true;
  const id = p.flags.get('plan');
  if (dryRun && id !== undefined) throw new InvalidArgumentError('--dry-run makes a plan and --plan <id> applies one: give one of them');
  if (id === undefined) return dryRun ? { kind: 'dry-run' } : { kind: 'apply' };
  if (typeof id !== 'string' || !PLAN_ID.test(id))
    throw new InvalidArgumentError('--plan takes the 12-character id a dry run printed (like --plan 3f9a0c1b2d4e); run with --dry-run to get one');
  return { kind: 'apply-saved', id };
}

/** The words that say what the action does: argv without --dry-run and --plan <id>. */
export function plannedArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--dry-run' || word.startsWith('--plan=')) continue;
    if (word === '--plan') {
      i++;
      continue;
    }
    out.push(word);
  }
  return out;
}
