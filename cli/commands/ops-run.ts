import { OpsCore, OPERATING_SYSTEM_USER_MAY, RequestRunner, resultOrThrow, type ActionResult, type ProgressStep } from '../../ops/index.js';
import { systemClock } from '../../lib/clock.js';
import { isUserError, UserError } from '../../lib/errors.js';
import { resolveClusterDir } from '../cluster-dir.js';
import { colourVerdicts, forTerminal, warningLabel } from '../output.js';
import { lineProgress, withListrProgress } from '../progress-display.js';
import { terminalConfirmer } from '../terminal-confirmer.js';
import { terminalActor } from '../terminal-actor.js';

export interface OpsCliOptions {
  dir?: string;
  json?: boolean;
  yes?: boolean;
}

/**
 * `check` speaks Nagios: 0 healthy, 1 degraded, 2 critical, so "could not check at all" (bad
 * arguments, no cluster folder, Docker unreachable) is 3 (UNKNOWN) there, never a verdict.
 */
const CHECK_UNKNOWN = 3;

/** One ops command from the terminal; returns the exit code (UserErrors propagate to main). */
export async function runOpsCommand(name: string, argv: string[], options: OpsCliOptions): Promise<number> {
  try {
    return await runOps(name, argv, options);
  } catch (error) {
    if (!isUserError(error)) throw visibleBug(error);
    const exitCode = name === 'check' ? CHECK_UNKNOWN : error.exitCode;
    const message = forTerminal(error.message);
    // a failed command's message quotes what the broker printed (main writes it to the terminal)
    if (exitCode === error.exitCode && message === error.message) throw error;
    throw new UserError(message, { exitCode, cause: error });
  }
}

async function runOps(name: string, argv: string[], options: OpsCliOptions): Promise<number> {
  const dir = await resolveClusterDir(options.dir);
  const actor = terminalActor();
  const interactive = Boolean(process.stderr.isTTY) && !options.json;
  // everything below reaches the terminal and may quote the broker (names are anyone's to choose)
  // the one request path, with the terminal's ports: the OS user may, the y/N prompt or --yes
  const runner = new RequestRunner({
    core: new OpsCore(),
    policy: OPERATING_SYSTEM_USER_MAY,
    warn: (m) => process.stderr.write(`${warningLabel()} ${forTerminal(m)}\n`),
  });
  const request = { actor, origin: 'terminal' as const, action: name, argv, dir, startedAt: systemClock() };
  const run = async (progress: (step: ProgressStep) => void): Promise<ActionResult> => {
    const outcome = await runner.run(request, terminalConfirmer(options.yes === true), {
      progress: (s) => progress({ ...s, title: forTerminal(s.title), ...(s.detail !== undefined ? { detail: forTerminal(s.detail) } : {}) }),
    });
    return resultOrThrow(outcome, systemClock);
  };
  // the prompt must come before the live display takes the terminal, so listr starts after it
  const result = interactive ? await runWithDisplay(name, run) : await run(lineProgress);
  if (options.json) process.stdout.write(`${forTerminal(JSON.stringify(result.data, null, 2))}\n`);
  else {
    const text = forTerminal(`${result.headline}\n${result.text ? `${result.text}\n` : ''}`);
    // check's verdicts in colour on a terminal (escaped first: the colour codes are ours)
    process.stdout.write(name === 'check' ? colourVerdicts(text) : text);
  }
  return result.exitCode ?? (result.ok ? 0 : 1);
}

/**
 * A bug's report is printed with its stack, and a parser's error quotes the text it choked on
 * (a broker's output, say): the same escaping, in place, so the report keeps its type and stack.
 */
function visibleBug(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  error.message = forTerminal(error.message);
  if (error.stack !== undefined) error.stack = forTerminal(error.stack);
  return error;
}

async function runWithDisplay(name: string, run: (p: (s: ProgressStep) => void) => Promise<ActionResult>): Promise<ActionResult> {
  const buffered: ProgressStep[] = [];
  let forward: ((s: ProgressStep) => void) | undefined;
  let started: (() => void) | undefined;
  const ready = new Promise<void>((r) => (started = r));
  // the runner asks its confirmer first; the display starts with the first step
  const pending = run((s) => (forward ? forward(s) : (buffered.push(s), started?.())));
  const first = await Promise.race([
    pending.then(
      () => 'finished',
      () => 'finished',
    ),
    ready.then(() => 'progress'),
  ]);
  if (first === 'finished') return pending;
  return withListrProgress(name, async (progress) => {
    forward = progress;
    for (const s of buffered.splice(0)) progress(s);
    return pending;
  });
}
