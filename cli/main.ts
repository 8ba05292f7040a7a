#!/usr/bin/env node
import { systemClock } from '../lib/clock.js';
import { isUserError } from '../lib/errors.js';
import { COMPLETE_COMMAND } from './completion-words.js';
import { printError } from './output.js';
import { buildProgram } from './program.js';

const program = buildProgram();

// One place turns errors into exit codes: user errors are shown as written, anything else is a bug.
try {
  // a bad RMQ_COMPOSE_NOW is refused before any command runs, not halfway through one
  systemClock();
  const args = process.argv.slice(2);
  if (args.length === 0) {
    // bare `rmq-compose`: the help, as asked for (stdout, exit 0), not as a usage error
    program.outputHelp();
  } else if (args[0] === COMPLETE_COMMAND) {
    // the completion scripts' callback, answered before commander, which would act on the words
    const { complete, formatCompletion } = await import('./completion.js');
    process.stdout.write(formatCompletion(complete(program, args.slice(1))));
  } else {
    await program.parseAsync(process.argv);
  }
} catch (error) {
  if (isUserError(error)) {
    printError(error.message);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(
      `rmq-compose: unexpected error (a bug; please report it with this text):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  }
}
