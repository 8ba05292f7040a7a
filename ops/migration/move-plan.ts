import { join, resolve } from 'node:path';
import { ENV_FILE, MANIFEST_FILE } from '../../contract/cluster-files.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { loadCluster } from '../load-cluster.js';
import type { ClusterServices } from '../ops-tools.js';
import { assemblePlan, type ActionPlan, type PlannedFile } from '../plan/action-plan.js';
import { fingerprint } from '../plan/plan-inputs.js';
import { exportDefinitions } from '../rabbit/definitions.js';
import { amqpUri } from './amqp-uri.js';
import { lbServices } from './blue-green-link.js';
import { planGreenFiles } from './green-cluster.js';
import { renderMigrationReport } from './migration-report.js';
import { withoutMoveUser } from './move-user.js';
import type { MigrationPhase, MigrationState } from './migration-state.js';
import { planShovels } from './shovel-plan.js';
import { transformForQuorum } from './transform-definitions.js';

/**
 * A migration as a value, for `--dry-run` and `--plan <id>`: green's files (from the pre-check's
 * state, nothing written), blue's definitions as green will get them (exported now: the queues
 * that become quorum queues, the policies dropped, one shovel per queue), and the phases still to
 * run in order. Reads only: blue's definitions are exported, nothing is imported or started.
 * Queues declared on blue after the plan are moved too: the move exports again when it gets there.
 */
export async function planMove(
  blue: ClusterHandle,
  s: ClusterServices,
  state: MigrationState,
  argv: string[],
  now: Date,
): Promise<{ plan: ActionPlan; report: string[] }> {
  const done = (phase: MigrationPhase) => state.done.includes(phase);
  const options = { image: state.image, version: state.version, subnet: state.subnet, portOffset: state.portOffset, now };
  const planned = done('green-generated') ? undefined : await planGreenFiles(blue, options);
  const green = planned ? undefined : await loadCluster(state.greenDir);
  const greenVersion = planned ? planned.plan.model.rabbitmq.version : green!.manifest.rabbitmq.version;
  const nodes = planned ? planned.plan.model.nodes.length : green!.manifest.nodes.length;

  let report: string[] = [];
  let moved = state.queues.map((q) => `${q.vhost === '/' ? '' : `${q.vhost}/`}${q.name}`);
  if (!done('definitions')) {
    const definitions = withoutMoveUser((await exportDefinitions(s.compose, blue.manifest.nodes[0]!)).definitions);
    const transformed = transformForQuorum(definitions, { greenVersion, redeclarationRelaxed: true });
    report = renderMigrationReport(transformed.report);
    // the URIs are the move's to make (blue's address on the link is known once linked): names only here
    const vhosts = [...new Set(transformed.report.queues.map((q) => q.vhost))];
    const endpoints = vhosts.map((vhost) => ({ vhost, srcUri: amqpUri({ vhost }), destUri: amqpUri({ vhost }) }));
    const shovels = planShovels(transformed.report.queues, endpoints, { hostVersion: greenVersion, deleteAfter: 'never' });
    moved = shovels.entries.map((e) => `${e.vhost === '/' ? '' : `${e.vhost}/`}${e.queue}`);
  }
  const shown = moved.length > 12 ? `${moved.slice(0, 12).join(', ')} and ${moved.length - 12} more` : moved.join(', ');
  const lbs = lbServices(blue).join(', ');
  const all: Array<[MigrationPhase | 'counts', string]> = [
    [
      'green-generated',
      `generate green: ${state.greenSpec} → ${state.greenDir} (${planned?.files.length ?? 0} file(s) below), blue's .env copied but for the Erlang cookie (green gets its own)`,
    ],
    ['green-running', `start green's ${nodes} nodes (not its load balancer yet) and wait until they form one cluster`],
    ['linked', "join both clusters' nodes on a network of their own (for the shovels only)"],
    [
      'definitions',
      report[0] ? `import blue's definitions into green ${report[0].replace(/^definitions for green /, '')}` : "import blue's definitions into green",
    ],
    [
      'shovels',
      `start ${moved.length} shovel(s) on green, one per queue of blue${shown ? `: ${shown}` : ''}; they log in to blue as a user of the move's own, given and checked on every vhost first`,
    ],
    ['shovels', `wait (up to 60 s) until every shovel runs; one that cannot stops the move here, with the load balancer unmoved`],
    ['switched', `hand the load balancer over: stop blue's ${lbs}, start green's (same ports, same VIP)`],
    [
      'drained',
      `wait (up to 15 min) until the shovels have emptied blue's ${moved.length} queue(s), then stop them, remove the link and the move's user; a shovel that ends meanwhile fails the move at once`,
    ],
    ['counts', 'count messages per queue on blue (must be 0) and on green'],
  ];
  const steps = all.filter(([phase]) => phase === 'counts' || !done(phase)).map(([, text]) => text);
  const files: PlannedFile[] = planned?.files ?? [];
  const inputs = await fingerprint([
    ...(blue.manifest.spec ? [resolve(blue.dir, blue.manifest.spec)] : []),
    join(blue.dir, ENV_FILE),
    state.greenSpec,
    join(state.greenDir, MANIFEST_FILE),
    join(state.greenDir, ENV_FILE),
  ]);
  return { plan: assemblePlan({ action: 'migrate', cluster: blue.manifest.name, argv, madeAt: now.toISOString(), inputs, files, steps }), report };
}
