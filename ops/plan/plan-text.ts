import type { ActionPlan } from './action-plan.js';

/**
 * A plan in plain text, the same for the terminal and Slack: files (with their line counts), the
 * steps in order, the diff of what may be shown, and the one command that applies exactly it.
 */
export function planText(plan: ActionPlan, diff: string): string {
  const files =
    plan.files.length === 0
      ? ['Files: none change']
      : [`Files (${plan.files.length}):`, ...plan.files.map((f) => `  ${f.change.padEnd(7)} ${f.path} (+${f.added} −${f.removed})`)];
  return [
    ...files,
    `Steps (${plan.steps.length}):`,
    ...plan.steps.map((s, i) => `  ${i + 1}. ${s}`),
    `Apply exactly this plan: ${applyCommand(plan)} (in Slack: ${['/rmq', plan.action, '<cluster>', ...plan.argv, '--plan', plan.id].join(' ')})`,
    '(refused if the spec, a generated file or the cluster changes before then)',
    ...(diff ? ['', diff.trimEnd()] : []),
  ].join('\n');
}

export function applyCommand(plan: ActionPlan): string {
  return ['rmq-compose', plan.action, ...plan.argv, '--plan', plan.id].join(' ');
}
