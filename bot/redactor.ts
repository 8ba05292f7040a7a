import { redact } from '../ops/index.js';
import { escapeValue } from './render/slack-text.js';

/**
 * Masks every secret the bot knows of in outgoing text and logs: the Slack tokens, and every
 * configured cluster's password, Erlang cookie and other .env values, learned at start-up.
 * The ops core redacts its own command output too; this is the second belt, at the last exit.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  constructor(initial: readonly string[] = []) {
    this.add(initial);
  }

  add(values: readonly string[]): void {
    for (const v of values) {
      if (!v) continue;
      this.#secrets.add(v);
      // what reaches Slack is Slack text, where a password's & < > are spelled &amp; &lt; &gt;
      this.#secrets.add(escapeValue(v));
    }
  }

  readonly apply = (text: string): string => redact(text, [...this.#secrets]);

  /** Every secret known now (the request runner masks the bot's own audit lines with them). */
  readonly values = (): readonly string[] => [...this.#secrets];
}
