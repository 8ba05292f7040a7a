import { createInterface } from 'node:readline/promises';
import { CancelledError, type Confirmer, type PreparedAction } from '../ops/index.js';
import { forTerminal } from './output.js';

/**
 * The terminal's confirmation port: --yes answers for the person; otherwise a y/N prompt on
 * stderr, and no terminal to ask at is a cancellation that says how to run it anyway. The
 * runner decides when it is asked (ops/request/confirmation-rule.ts).
 */
export function terminalConfirmer(yes: boolean): Confirmer {
  return {
    async confirm(prepared: PreparedAction) {
      if (yes) return 'confirmed';
      if (!process.stdin.isTTY)
        throw new CancelledError(
          `${prepared.action.name} changes the cluster in ways that are hard to undo; add --yes to run it without a terminal to confirm at`,
        );
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`Run ${forTerminal(prepared.summary)}? [y/N] `);
        return /^y(es)?$/i.test(answer.trim()) ? 'confirmed' : 'declined';
      } finally {
        rl.close();
      }
    },
  };
}
