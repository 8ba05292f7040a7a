import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterHandle } from '../ops/actions/action.js';
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

  /** Learn a cluster's secrets from its .env; a missing or unreadable .env simply adds nothing. */
  async learnCluster(cluster: ClusterHandle): Promise<void> {
    const m = cluster.manifest;
    const names = [m.rabbitmq.defaultPassVariable, m.rabbitmq.erlangCookieVariable, m.rabbitmq.defaultUserVariable].filter((n): n is string => !!n);
    let text: string;
    try {
      text = await readFile(join(cluster.dir, m.envFile), 'utf8');
    } catch {
      return;
    }
    for (const line of text.split(/\r?\n/)) {
      const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
      if (!match || !names.includes(match[1] ?? '')) continue;
      const raw = (match[2] ?? '').trim();
      this.add([raw.replace(/^(['"])(.*)\1$/, '$2')]);
    }
  }
}
