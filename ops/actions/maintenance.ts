import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { isNodeRunning, observeCluster } from '../rabbit/observe-cluster.js';
import { CATALOG } from '../catalog.js';
import { defineAction, type ActionDefinition } from './action.js';
import { parseSingleNode } from './argument-shapes.js';
import { step } from './step.js';

type Node = ClusterManifest['nodes'][number];
export type MaintenanceData = { node: string; maintenance: boolean | undefined };

/** rabbitmq-upgrade drain / revive: put a node into maintenance mode (clients moved off) or back. */
function maintenanceAction(name: 'drain' | 'revive'): ActionDefinition<{ node: Node }, MaintenanceData> {
  const usage = CATALOG[name].usage;
  return defineAction<{ node: Node }, MaintenanceData>(CATALOG[name], {
    parse: (argv, manifest) => parseSingleNode(argv, manifest, usage),
    async run(ctx, { node }) {
      const s = await clusterServices(ctx.cluster, ctx.tools);
      const o = await observeCluster(s, node);
      if (!isNodeRunning(o, node)) throw new RefusedError(`${node.name} is not running; ${name} needs the node up`);
      await step(ctx, name, `rabbitmq-upgrade ${name} on ${node.name}`, () => (name === 'drain' ? s.ctl.drain(node) : s.ctl.revive(node)));
      const after = await s.ctl.clusterStatus(node).catch(() => undefined);
      const maintenance = after?.maintenance[node.erlangNode];
      const state = maintenance === undefined ? 'maintenance state unknown' : maintenance ? 'under maintenance' : 'not under maintenance';
      return { ok: true, headline: `${node.name} ${name === 'drain' ? 'drained' : 'revived'} (${state})`, text: `rabbitmq-upgrade ${name} on ${node.name}: done; ${state}`, data: { node: node.name, maintenance } };
    },
  });
}

export const drainAction = maintenanceAction('drain');
export const reviveAction = maintenanceAction('revive');
