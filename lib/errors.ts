/**
 * Errors meant for the person at the keyboard (or in Slack): the message is shown as written.
 * Anything that is not a UserError is a bug or an outage and is reported with a short generic line.
 */
export class UserError extends Error {
  /** Process exit code a CLI should use for this error. */
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** The cluster spec is invalid; `problems` carries one line per finding, each with its dot path. */
export class SpecError extends UserError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], source: string) {
    super(`${source}: ${problems.length} problem(s) in the cluster spec:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      exitCode: 2,
    });
    this.problems = problems;
  }
}

/**
 * The output folder holds a symbolic link (or a file where a folder belongs) on a path gen would
 * write or delete; `problems` names each path. Exit 1: the folder, not the spec, needs fixing.
 */
export class UnsafeOutputError extends UserError {
  readonly problems: readonly string[];

  constructor(clusterDir: string, problems: readonly string[]) {
    super(
      `refusing to write into ${clusterDir}: rmq-compose never writes or deletes through a symbolic link there, since it could reach files outside the folder; nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { exitCode: 1 },
    );
    this.problems = problems;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
