import { parseNoArguments } from '../args/argument-shapes.js';
import { CATALOG } from '../catalog.js';
import { checkCluster, type CheckData } from '../health/check-cluster.js';
import { checkText } from '../health/check-text.js';
import { exitCodeOf } from '../health/findings.js';
import { clusterServices } from '../ops-tools.js';
import { defineAction } from '../action.js';

export type { CheckData };

/**
 * One health verdict for scripts, cron and the bot's watcher: `status`'s facts plus what only a
 * question to RabbitMQ tells (which running node some queue depends on, deprecated features in
 * use) and the version table (support), judged into findings, each with its runbook command.
 * Exit code 0 healthy, 1 degraded, 2 critical (the CLI reads `exitCode`).
 */
export const checkAction = defineAction<Record<string, never>, CheckData>(CATALOG.check, {
  parse: (argv) => parseNoArguments(argv, 'check'),
  async run(ctx) {
    const { verdict, findings, notes, status } = await checkCluster(ctx, await clusterServices(ctx.cluster, ctx.tools));
    const name = ctx.cluster.manifest.name;
    return {
      ok: verdict === 'healthy',
      exitCode: exitCodeOf(verdict),
      headline: `${name}: ${verdict.toUpperCase()}${findings.length ? ` (${findings.length} finding${findings.length > 1 ? 's' : ''})` : ''}`,
      text: checkText(findings, notes, status),
      data: { cluster: name, verdict, findings, notes, status },
    };
  },
});
