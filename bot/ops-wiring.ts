import { FileAuditSink, OpsCore } from '../ops/index.js';
import type { BotConfig } from './config.js';
import type { BotDeps } from './ports.js';

/**
 * The real operations core behind the bot: every cluster's actions, lock and audit log are the
 * ones the CLI uses, so a deploy from a terminal and one from Slack cannot overlap and land in
 * the same log. Only lines that name no cluster go to config.auditLog (masked by the request
 * runner with every secret the bot knows).
 */
export function createOpsDeps(config: BotConfig): BotDeps {
  return { ops: new OpsCore(), audit: new FileAuditSink(config.auditLog) };
}
