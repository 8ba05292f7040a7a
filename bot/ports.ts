import type { AuditSink, OpsCore } from '../ops/index.js';

/**
 * What the bot is given: the operations core (the same pipeline the CLI runs, writing each
 * cluster's own audit log; the request runner is built on it) and a sink for the few lines that
 * name no cluster (help, an unknown action or cluster). Tests give an OpsCore with in-memory actions.
 */
export interface BotDeps {
  ops: OpsCore;
  /** Lines that name no cluster: config.auditLog. */
  audit: AuditSink;
  /** Injected clock for expiry tests. */
  now?: () => number;
}
