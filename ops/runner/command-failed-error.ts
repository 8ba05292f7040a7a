import { UserError } from '../../lib/errors.js';
import type { CommandResult } from './command.js';

/** A process that exited non-zero or timed out, with what it said (secrets already masked). */
export class CommandFailedError extends UserError {
  readonly result: CommandResult;

  constructor(result: CommandResult, what?: string) {
    const reason = result.timedOut ? 'timed out' : `exited with code ${result.exitCode}`;
    const detail = lastLines(result.stderr || result.stdout, 12);
    super(`${what ?? result.command} ${reason}${detail ? `:\n${detail}` : ''}`);
    this.result = result;
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
