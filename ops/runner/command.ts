/** One external program call: always an argument array, never a shell string. */
export interface Command {
  file: string;
  args: readonly string[];
  /** Milliseconds before the process is killed; every call has one. */
  timeoutMs: number;
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  input?: string;
  /** Values to blank out of anything recorded or shown (passwords, cookies, tokens). */
  secrets?: readonly string[];
}

export interface CommandResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface CommandRunner {
  /** Runs the command; resolves even when it exits non-zero (check `exitCode`). */
  run(command: Command): Promise<CommandResult>;
  /** The real runner: it may look for the docker CLI's plugins on this machine's disk. */
  readonly findsPluginsOnDisk?: boolean;
}
