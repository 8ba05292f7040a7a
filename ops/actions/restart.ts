import type { ClusterManifest } from '../../contract/manifest.js';
import { clusterServices } from '../ops-tools.js';
import { observeCluster, runningNodes } from '../rabbit/observe-cluster.js';
import { waitClustered } from '../rabbit/wait-for.js';
import type { ActionDefinition } from './action.js';
import { parseSingleNode } from './argument-shapes.js';
import { step } from './step.js';

type Node = ClusterManifest['nodes'][number];

/** compose restart one node, then wait until it runs again with every node that ran before. */
export const restartAction: ActionDefinition<{ node: Node }, { node: string; clusteredWith: string[] }> = {
  name: 'restart',
  usage: 'restart <node>',
  summary: 'restart one node and wait until it is back in the cluster',
  mutating: true,
  dangerous: false,
  parse: (argv, manifest) => parseSingleNode(argv, manifest, 'restart <node>'),
  async run(ctx, { node }) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const before = runningNodes(await observeCluster(s), ctx.cluster.manifest.nodes);
    const expected = [node, ...before.filter((n) => n.name !== node.name)];
    await step(ctx, 'restart', `compose restart ${node.service}`, () => s.compose.restart(node.service));
    await step(ctx, 'clustered', `wait until ${node.name} runs with ${expected.length - 1} other node(s)`, () => waitClustered(s, node, expected, ctx.signal));
    const names = expected.map((n) => n.name);
    return { ok: true, headline: `${node.name} restarted and clustered`, text: `${node.name} is running with ${names.join(', ')}`, data: { node: node.name, clusteredWith: names } };
  },
};
