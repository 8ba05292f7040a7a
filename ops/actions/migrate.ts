import { IMAGE_REFERENCE } from '../../contract/names.js';
import { parseVersion } from '../../contract/version-parse.js';
import { expectPositionals, maskedAndClipped, readArgv } from '../args/argv.js';
import { intArg } from '../args/validators.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { readMigrationState } from '../migration/migration-state.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import type { DryRunData } from '../plan/dry-run-result.js';
import { PLAN_FLAGS, planModeOf, plannedArgv } from '../plan/plan-mode.js';
import type { MigrateArgs, MigrateData } from '../migration/migrate-types.js';
import { moveToGreen } from '../migration/move-to-green.js';
import { rollBack } from '../migration/roll-back.js';
import { retireBlue } from '../migration/retire-blue.js';

export type { MigrateData };

const SUBNET = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){2}\.0\/24$/;

/**
 * Blue-green from a running cluster (blue, typically 3.x with mirrored classic queues) to a new
 * one (green, 4.x with quorum queues) beside it on the same engine, as RabbitMQ's blue-green guide
 * describes (https://www.rabbitmq.com/docs/blue-green-upgrade): green generated from blue's spec
 * with the new image; blue's definitions exported, turned into quorum queues and imported; one
 * shovel per queue on green pulling blue's messages; then the load balancer handed over (green's
 * nginx and keepalived take the same ports and VIP), blue drained by the shovels and the counts
 * checked queue by queue. Each phase is recorded: the same command resumes; `migrate rollback`
 * hands clients and messages back to blue until `migrate retire` removes blue.
 */
export const migrateAction = defineAction<MigrateArgs, MigrateData | DryRunData>(CATALOG.migrate, {
  parse(argv) {
    const usage = CATALOG.migrate.usage;
    const p = readArgv(argv, { to: 'value', version: 'value', subnet: 'value', 'port-offset': 'value', ...PLAN_FLAGS }, usage);
    const [sub] = expectPositionals(p, 0, 1, usage);
    if (sub === 'rollback' || sub === 'retire') {
      if (p.flags.size > 0)
        throw new InvalidArgumentError(`migrate ${sub} takes no options (and has no dry run: it says what it undoes or removes as it goes); usage: ${usage}`);
      return { kind: sub };
    }
    if (sub !== undefined) throw new InvalidArgumentError(`unknown migrate step "${maskedAndClipped(sub)}"; usage: ${usage}`);
    const image = p.flags.get('to') as string | undefined;
    if (image !== undefined && !IMAGE_REFERENCE.test(image))
      throw new InvalidArgumentError(`"${maskedAndClipped(image)}" is not a Docker image reference (like rabbitmq:4.3-management)`);
    const version = p.flags.get('version') as string | undefined;
    if (version !== undefined && !parseVersion(version))
      throw new InvalidArgumentError(`--version must look like 4.3 or 4.3.6, not "${maskedAndClipped(version)}"`);
    const subnet = p.flags.get('subnet') as string | undefined;
    if (subnet !== undefined && !SUBNET.test(subnet))
      throw new InvalidArgumentError(`--subnet must be a /24 network like 172.30.12.0/24, not "${maskedAndClipped(subnet)}"`);
    const offset = p.flags.get('port-offset') as string | undefined;
    const portOffset = offset === undefined ? 1000 : intArg(offset, '--port-offset', 1, 30000);
    return { kind: 'move', image, version, subnet, portOffset, mode: planModeOf(p), argv: plannedArgv(argv) };
  },
  async run(ctx, args) {
    const state = await readMigrationState(ctx.cluster.dir);
    const s = await clusterServices(ctx.cluster, ctx.tools);
    if (args.kind === 'move') return moveToGreen(ctx, s, args, state);
    if (!state)
      throw new RefusedError(`no migration of ${ctx.cluster.manifest.name} is in progress (nothing to ${args.kind}); start one with \`migrate --to <image>\``);
    return args.kind === 'rollback' ? rollBack(ctx, s, state) : retireBlue(ctx, s, state);
  },
});
