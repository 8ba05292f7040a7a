import { UserError } from '../lib/errors.js';
import type { BotConfig } from './config.js';
import type { BotDeps } from './ports.js';

/**
 * The real operations core behind the bot's ports: the action table, the cluster loader, the
 * audit log (config.auditLog) and the per-cluster lock. The ops modules (ops/actions/action-table.ts,
 * ops/load-cluster.ts, ops/audit.ts, ops/lock.ts) are being written in parallel; until they land
 * the bot refuses to start rather than run with stand-ins.
 */
export async function createOpsDeps(_config: BotConfig): Promise<BotDeps> {
  throw new UserError('the operations core (ops/actions/action-table.ts, ops/load-cluster.ts, ops/audit.ts, ops/lock.ts) is not wired into the bot yet');
}
