import { createActionTable } from '../ops/actions/action-table.js';
import { FileAuditSink } from '../ops/audit.js';
import { loadCluster } from '../ops/load-cluster.js';
import { FileClusterLock } from '../ops/lock.js';
import type { BotConfig } from './config.js';
import type { BotDeps } from './ports.js';

/**
 * The real operations core behind the bot's ports: the action table, the cluster loader, the
 * JSON-lines audit log (config.auditLog) and the per-cluster lock file, which the CLI shares, so
 * a deploy from a terminal and one from Slack cannot overlap.
 */
export async function createOpsDeps(config: BotConfig): Promise<BotDeps> {
  return {
    actions: createActionTable(),
    loadCluster,
    audit: new FileAuditSink(config.auditLog, () => config.secrets.all()),
    lock: new FileClusterLock(),
  };
}
