import type { ClusterManifest } from '../../contract/manifest.js';
import { clusterServices } from '../ops-tools.js';
import { observeCluster, runningNodes } from '../rabbit/observe-cluster.js';
import { waitClustered } from '../rabbit/wait-for.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { parseGatedNode } from '../args/argument-shapes.js';
import { passQuorumGate } from '../steps/pass-quorum-gate.js';
import { step } from '../steps/step.js';

type Node = ClusterManifest['nodes'][number];

/** compose restart one node, then wait until it runs again with every node that ran before. */
export interface RestartData {
  node: string;
  clusteredWith: string[];
}

export const restartAction = defineAction<{ node: Node; force: boolean }, RestartData>(CATALOG['restart'], {
  parse: (argv, manifest) => parseGatedNode(argv, manifest, CATALOG.restart.usage),
  async run(ctx, { node, force }) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const before = runningNodes(await observeCluster(s), ctx.cluster.manifest.nodes);
    // a node that is not running costs no queue anything by being restarted
    if (before.some((n) => n.name === node.name)) await passQuorumGate(ctx, s, node, 'restart', force);
    const expected = [node, ...before.filter((n) => n.name !== node.name)];
    await step(ctx, 'restart', `compose restart ${node.service}`, () => s.compose.restart(node.service));
    await step(ctx, 'clustered', `wait until ${node.name} runs with ${expected.length - 1} other node(s)`, () => waitClustered(s, node, expected, ctx.signal));
    const names = expected.map((n) => n.name);
    return {
      ok: true,
      headline: `${node.name} restarted and clustered`,
      text: `${node.name} is running with ${names.join(', ')}`,
      data: { node: node.name, clusteredWith: names },
    };
  },
});
