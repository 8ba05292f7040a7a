import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { isNodeRunning, observeCluster } from '../rabbit/observe-cluster.js';
import { CATALOG } from '../catalog.js';
import { defineAction, type ActionDefinition } from '../action.js';
import { parseGatedNode, parseSingleNode } from '../args/argument-shapes.js';
import { passQuorumGate } from '../steps/pass-quorum-gate.js';
import { step } from '../steps/step.js';

type Node = ClusterManifest['nodes'][number];
export type MaintenanceData = { node: string; maintenance: boolean | undefined };

/** rabbitmq-upgrade drain / revive: put a node into maintenance mode (clients moved off) or back. */
function maintenanceAction(name: 'drain' | 'revive'): ActionDefinition<{ node: Node; force: boolean }, MaintenanceData> {
  const usage = CATALOG[name].usage;
  return defineAction<{ node: Node; force: boolean }, MaintenanceData>(CATALOG[name], {
    // only drain takes a node away from its queues; revive gives it back
    parse: (argv, manifest) => (name === 'drain' ? parseGatedNode(argv, manifest, usage) : { ...parseSingleNode(argv, manifest, usage), force: false }),
    async run(ctx, { node, force }) {
      const s = await clusterServices(ctx.cluster, ctx.tools);
      const o = await observeCluster(s, node);
      if (!isNodeRunning(o, node)) throw new RefusedError(`${node.name} is not running; ${name} needs the node up`);
      if (name === 'drain') await passQuorumGate(ctx, s, node, 'drain', force);
      await step(ctx, name, `rabbitmq-upgrade ${name} on ${node.name}`, () => (name === 'drain' ? s.ctl.drain(node) : s.ctl.revive(node)));
      const after = await s.ctl.clusterStatus(node).catch(() => undefined);
      const maintenance = after?.maintenance[node.erlangNode];
      const state = maintenance === undefined ? 'maintenance state unknown' : maintenance ? 'under maintenance' : 'not under maintenance';
      return {
        ok: true,
        headline: `${node.name} ${name === 'drain' ? 'drained' : 'revived'} (${state})`,
        text: `rabbitmq-upgrade ${name} on ${node.name}: done; ${state}`,
        data: { node: node.name, maintenance },
      };
    },
  });
}

export const drainAction = maintenanceAction('drain');
export const reviveAction = maintenanceAction('revive');
