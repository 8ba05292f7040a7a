import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditRecord, AuditSink } from '../bot/ports.js';
import { redact } from './runner/redact.js';

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
