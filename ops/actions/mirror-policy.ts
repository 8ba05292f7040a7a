import type { ClusterManifest } from '../../contract/manifest.js';
import { expectPositionals, readArgv } from '../args/argv.js';
import { intArg, policyNameArg, policyPatternArg } from '../args/validators.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { isMirrorPolicy, type Policy } from '../rabbit/parse-policies.js';
import { firstRunningNode } from '../rabbit/first-running-node.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';

export type MirrorPolicyArgs =
  { op: 'list' } | { op: 'clear'; name: string } | { op: 'set'; name: string; pattern: string; definition: Record<string, string | number> };

export type MirrorPolicyData = { policies: Policy[] } | { set: string } | { cleared: string };

const USAGE = CATALOG['mirror-policy'].usage;

/** Classic queue mirroring (ha-* policies) on 3.x; refused on 4.x, where it no longer exists. */
export const mirrorPolicyAction = defineAction<MirrorPolicyArgs, MirrorPolicyData>(CATALOG['mirror-policy'], {
  parse(argv, manifest) {
    refuseWithoutMirroring(manifest);
    const p = readArgv(argv, { sync: 'value' }, USAGE);
    const op = p.positionals[0];
    if (op === 'list') {
      expectPositionals(p, 1, 1, USAGE);
      if (p.flags.size) throw new InvalidArgumentError(`list takes no options; usage: ${USAGE}`);
      return { op };
    }
    if (op === 'clear') {
      const [, name] = expectPositionals(p, 2, 2, USAGE);
      if (p.flags.size) throw new InvalidArgumentError(`clear takes no options; usage: ${USAGE}`);
      return { op, name: policyNameArg(name) };
    }
    if (op !== 'set') throw new InvalidArgumentError(`say list, set or clear; usage: ${USAGE}`);
    const [, name, pattern, mode = 'all', count] = expectPositionals(p, 3, 5, USAGE);
    const definition: Record<string, string | number> = {};
    if (mode === 'all') {
      if (count !== undefined) throw new InvalidArgumentError(`"all" takes no count; usage: ${USAGE}`);
      definition['ha-mode'] = 'all';
    } else if (mode === 'exactly') {
      definition['ha-mode'] = 'exactly';
      definition['ha-params'] = intArg(count, 'the number of replicas', 1, manifest.nodes.length);
    } else {
      throw new InvalidArgumentError(`mirror mode must be "all" or "exactly <N>"; usage: ${USAGE}`);
    }
    const sync = p.flags.get('sync');
    if (sync !== undefined) {
      if (sync !== 'automatic' && sync !== 'manual') throw new InvalidArgumentError('--sync must be automatic or manual');
      definition['ha-sync-mode'] = sync;
    }
    return { op, name: policyNameArg(name), pattern: policyPatternArg(pattern), definition };
  },
  async run(ctx, args) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const node = await firstRunningNode(s);
    if (args.op === 'list') {
      const policies = (await s.ctl.listPolicies(node)).filter(isMirrorPolicy);
      const text = policies.length
        ? policies.map((p) => `${p.name} ${p.pattern} → ${JSON.stringify(p.definition)} (apply-to ${p.applyTo}, priority ${p.priority})`).join('\n')
        : 'no ha-* policies';
      return {
        ok: true,
        headline: `${policies.length} mirroring polic${policies.length === 1 ? 'y' : 'ies'} on ${ctx.cluster.manifest.name}`,
        text,
        data: { policies },
      };
    }
    if (args.op === 'clear') {
      await s.ctl.clearPolicy(node, args.name);
      return { ok: true, headline: `policy ${args.name} cleared`, text: `clear_policy ${args.name} (via ${node.name})`, data: { cleared: args.name } };
    }
    await s.ctl.setPolicy(node, { name: args.name, pattern: args.pattern, applyTo: 'queues', priority: 0, definition: args.definition });
    return {
      ok: true,
      headline: `policy ${args.name} set`,
      text: `set_policy ${args.name} ${args.pattern} ${JSON.stringify(args.definition)} (apply-to queues, via ${node.name})`,
      data: { set: args.name },
    };
  },
});

export function refuseWithoutMirroring(manifest: ClusterManifest): void {
  if (manifest.rabbitmq.major < 4) return;
  throw new RefusedError(
    `classic queue mirroring was removed in RabbitMQ 4.0 (this cluster runs ${manifest.rabbitmq.version}). Use quorum queues instead: declare queues with x-queue-type: quorum, and tune them with policies such as queue-leader-locator or delivery-limit`,
  );
}
