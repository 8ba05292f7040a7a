import type { ClusterHandle } from '../ops/actions/action.js';
import { readClusterSecrets } from '../ops/cluster-secrets.js';
import { redact } from '../ops/runner/redact.js';

/**
 * Masks every secret the bot knows of in outgoing text and logs: the Slack tokens, and each
 * cluster's password and Erlang cookie (read from its .env by the variable names in the manifest).
 * The ops core redacts its own command output too; this is the second belt, at the last exit.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  constructor(initial: readonly string[] = []) {
    for (const s of initial) this.#secrets.add(s);
  }

  add(values: readonly string[]): void {
    for (const v of values) if (v) this.#secrets.add(v);
  }

  readonly apply = (text: string): string => redact(text, [...this.#secrets]);

  /** Learn a cluster's secrets (its .env, as the ops core reads it); a missing .env adds nothing. */
  async learnCluster(cluster: ClusterHandle): Promise<void> {
    this.add((await readClusterSecrets(cluster)).all);
  }
}
