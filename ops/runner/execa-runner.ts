import { execa } from 'execa';
import type { Command, CommandResult, CommandRunner } from './command.js';
import { CommandFailedError } from './command-failed-error.js';
import { formatCommand, redact } from './redact.js';

/** The one place rmq-compose starts programs. */
export class ExecaRunner implements CommandRunner {
  readonly findsPluginsOnDisk = true;

  async run(command: Command): Promise<CommandResult> {
    const started = performance.now();
    const secrets = command.secrets ?? [];
    const proc = await execa(command.file, [...command.args], {
      cwd: command.cwd,
      env: command.env ? { ...command.env } : undefined,
      input: command.input,
      timeout: command.timeoutMs,
      reject: false,
      stripFinalNewline: true,
      all: false,
      // a kill on timeout must not leave a docker exec behind
      forceKillAfterDelay: 2000,
    });
    const result: CommandResult = {
      command: formatCommand(command.file, command.args, secrets),
      exitCode: proc.exitCode ?? (proc.timedOut ? 124 : 1),
      stdout: redact(String(proc.stdout ?? ''), secrets),
      stderr: redact(String(proc.stderr ?? ''), secrets),
      durationMs: Math.round(performance.now() - started),
      timedOut: Boolean(proc.timedOut),
    };
    if (proc.failed && proc.exitCode === undefined && !proc.timedOut) {
      // spawn failure (program missing): keep execa's explanation
      result.stderr = redact(proc.shortMessage ?? proc.message ?? 'could not start', secrets);
    }
    return result;
  }
}

/** Runs and throws CommandFailedError unless the exit code is 0. */
export async function runChecked(runner: CommandRunner, command: Command, what?: string): Promise<CommandResult> {
  const result = await runner.run(command);
  if (result.exitCode !== 0 || result.timedOut) throw new CommandFailedError(result, what);
  return result;
}
