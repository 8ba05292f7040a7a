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
 * The one masking step for audit lines: every string of a record (actor, arguments, detail)
 * with each secret replaced, whatever sink it goes to. A secret typed as an argument or echoed
 * in a detail never reaches a log.
 */
export function maskAuditRecord(entry: AuditRecord, secrets: readonly string[]): AuditRecord {
  const clean = (s: string) => redact(s, secrets);
  return {
    ...entry,
    actor: { ...entry.actor, id: clean(entry.actor.id), ...(entry.actor.name ? { name: clean(entry.actor.name) } : {}) },
    args: entry.args.map(clean),
    ...(entry.detail !== undefined ? { detail: clean(entry.detail) } : {}),
  };
}

/** A sink that masks (maskAuditRecord) before it hands a record on; `secrets` is read per line. */
export class MaskedAuditSink implements AuditSink {
  constructor(
    readonly inner: AuditSink,
    private readonly secrets: () => readonly string[],
  ) {}

  record(entry: AuditRecord): Promise<void> {
    return this.inner.record(maskAuditRecord(entry, this.secrets()));
  }
}

/**
 * The audit log: one JSON object per line, appended (O_APPEND, so the CLI and the bot can share
 * a file). It writes what it is given: masking is MaskedAuditSink's job, done once before.
 */
export class FileAuditSink implements AuditSink {
  constructor(readonly path: string) {}

  async record(entry: AuditRecord): Promise<void> {
    const line = {
      time: entry.time,
      actor: entry.actor,
      channel: entry.actor.channel,
      cluster: entry.cluster,
      action: entry.action,
      args: entry.args,
      result: entry.result,
      durationMs: entry.durationMs,
      ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
    };
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
  }
}
