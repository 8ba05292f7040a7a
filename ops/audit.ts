import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Actor } from './actor.js';
import { redact } from './runner/redact.js';

/**
 * `started` is written before an action runs (no record, no run); the others close it or stand
 * alone (a denial, a confirmation asked for, cancelled or expired).
 */
export type AuditOutcome = 'started' | 'ok' | 'failed' | 'denied' | 'rejected' | 'busy' | 'cancelled' | 'expired' | 'error' | 'pending';

export interface AuditRecord {
  time: string;
  actor: Actor;
  action: string;
  cluster: string | undefined;
  args: readonly string[];
  result: AuditOutcome;
  durationMs: number;
  /** Short reason (denial, error id, who approved); never a secret. */
  detail?: string;
}

export interface AuditSink {
  record(entry: AuditRecord): Promise<void>;
}

/**
 * The audit log: one JSON object per line, appended (O_APPEND, so the CLI and the bot can share
 * a file). Every string is passed through the redactor, so a secret typed as an argument or
 * echoed in a detail never lands on disk.
 */
export class FileAuditSink implements AuditSink {
  constructor(
    readonly path: string,
    private readonly secrets: () => readonly string[] = () => [],
  ) {}

  async record(entry: AuditRecord): Promise<void> {
    const secrets = this.secrets();
    const clean = (s: string) => redact(s, secrets);
    const line = {
      time: entry.time,
      actor: { ...entry.actor, id: clean(entry.actor.id), ...(entry.actor.name ? { name: clean(entry.actor.name) } : {}) },
      channel: entry.actor.channel,
      cluster: entry.cluster,
      action: entry.action,
      args: entry.args.map(clean),
      result: entry.result,
      durationMs: entry.durationMs,
      ...(entry.detail !== undefined ? { detail: clean(entry.detail) } : {}),
    };
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
  }
}
