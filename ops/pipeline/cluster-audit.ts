import { join } from 'node:path';
import { AUDIT_LOG_FILE } from '../../contract/cluster-files.js';
import { FileAuditSink, type AuditOutcome, type AuditSink } from '../audit.js';
import type { Actor } from '../actor.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { readClusterSecrets } from '../cluster-secrets.js';
import { redact } from '../runner/redact.js';

/** Where a cluster's audit lines go: its own audit.log (CLI and bot alike), or one sink for all. */
export type AuditTarget = { sink: AuditSink } | { file: string } | 'cluster-folder';

export interface AuditLine {
  actor: Actor;
  action: string;
  argv: readonly string[];
  result: AuditOutcome;
  startedAt: number;
  detail?: string;
}

/**
 * One cluster's audit log, with the cluster's secrets (password, cookie, everything in .env)
 * known from the first line, so an Erlang cookie typed as an argument is masked every time.
 */
export class ClusterAudit {
  private constructor(
    private readonly cluster: ClusterHandle,
    private readonly sink: AuditSink,
    private readonly secrets: readonly string[],
    private readonly now: () => number,
  ) {}

  static async open(cluster: ClusterHandle, target: AuditTarget, now: () => number): Promise<ClusterAudit> {
    const secrets = (await readClusterSecrets(cluster)).all;
    if (typeof target === 'object' && 'sink' in target) return new ClusterAudit(cluster, target.sink, secrets, now);
    const path = target === 'cluster-folder' ? join(cluster.dir, AUDIT_LOG_FILE) : target.file;
    // masked once, in write(): the file sink is given no secrets of its own
    return new ClusterAudit(cluster, new FileAuditSink(path), secrets, now);
  }

  /** Where lines go, for error messages (a file path, or "the audit sink"). */
  get where(): string {
    return this.sink instanceof FileAuditSink ? this.sink.path : 'the audit sink';
  }

  /** Throws when the line cannot be written; the caller decides whether that stops the action. */
  async write(line: AuditLine): Promise<void> {
    // masked here, whatever the sink: a secret typed as an argument never reaches one
    const clean = (s: string) => redact(s, this.secrets);
    await this.sink.record({
      time: new Date(line.startedAt).toISOString(),
      actor: { ...line.actor, id: clean(line.actor.id), ...(line.actor.name ? { name: clean(line.actor.name) } : {}) },
      action: line.action,
      cluster: this.cluster.manifest.name,
      args: line.argv.map(clean),
      result: line.result,
      durationMs: Math.max(0, this.now() - line.startedAt),
      ...(line.detail !== undefined ? { detail: clean(line.detail) } : {}),
    });
  }
}
