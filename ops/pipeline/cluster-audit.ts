import { join } from 'node:path';
import { AUDIT_LOG_FILE } from '../../contract/cluster-files.js';
import { FileAuditSink, MaskedAuditSink, type AuditOutcome, type AuditSink } from '../audit.js';
import type { Actor } from '../actor.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { readClusterSecrets } from '../cluster-secrets.js';

/**
 * Where a cluster's audit lines go: its own audit.log (CLI and bot alike, never moved), or one
 * sink for all (tests).
 */
export type AuditTarget = { sink: AuditSink } | 'cluster-folder';

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
  readonly #masked: AuditSink;

  private constructor(
    private readonly cluster: ClusterHandle,
    private readonly sink: AuditSink,
    secrets: readonly string[],
    private readonly now: () => number,
  ) {
    // masked here, whatever the sink: a secret typed as an argument never reaches one
    this.#masked = new MaskedAuditSink(sink, () => secrets);
  }

  static async open(cluster: ClusterHandle, target: AuditTarget, now: () => number): Promise<ClusterAudit> {
    const secrets = (await readClusterSecrets(cluster)).all;
    const sink = target === 'cluster-folder' ? new FileAuditSink(join(cluster.dir, AUDIT_LOG_FILE)) : target.sink;
    return new ClusterAudit(cluster, sink, secrets, now);
  }

  /** Where lines go, for error messages (a file path, or "the audit sink"). */
  get where(): string {
    return this.sink instanceof FileAuditSink ? this.sink.path : 'the audit sink';
  }

  /** Throws when the line cannot be written; the caller decides whether that stops the action. */
  async write(line: AuditLine): Promise<void> {
    await this.#masked.record({
      time: new Date(line.startedAt).toISOString(),
      actor: line.actor,
      action: line.action,
      cluster: this.cluster.manifest.name,
      args: line.argv,
      result: line.result,
      durationMs: Math.max(0, this.now() - line.startedAt),
      ...(line.detail !== undefined ? { detail: line.detail } : {}),
    });
  }
}
