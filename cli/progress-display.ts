import type { ProgressStep } from '../ops/index.js';

const MARK: Record<ProgressStep['state'], string> = { running: '…', done: '✔', failed: '✖', skipped: '↓' };

const stepLine = (step: ProgressStep) => `${MARK[step.state]} ${step.title}${step.detail ? ` (${step.detail})` : ''}`;

/** Non-TTY: one line per step state change on stderr, so stdout stays clean for --json. */
export function lineProgress(step: ProgressStep): void {
  process.stderr.write(`${step.state === 'running' ? `${MARK.running} ${step.title}` : stepLine(step)}\n`);
}

/**
 * TTY: a listr2 task for the whole action whose output shows the steps as they change. The
 * steps are only known while the action runs, so they are lines of one task, not Listr subtasks.
 */
export async function withListrProgress<T>(title: string, run: (progress: (step: ProgressStep) => void) => Promise<T>): Promise<T> {
  // loaded only at a terminal: scripts and --json never pay for the live display
  const { Listr } = await import('listr2');
  let value: T | undefined;
  const lines = new Map<string, string>();
  const tasks = new Listr(
    [
      {
        title,
        task: async (_ctx, task) => {
          value = await run((step) => {
            lines.set(step.id, stepLine(step));
            task.output = [...lines.values()].join('\n');
          });
        },
        rendererOptions: { persistentOutput: true, outputBar: Infinity },
      },
    ],
    { rendererOptions: { collapseErrors: false, showErrorMessage: false }, exitOnError: true, registerSignalListeners: false },
  );
  await tasks.run();
  return value as T;
}
