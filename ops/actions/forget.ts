import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { observeCluster, runningNodes } from '../rabbit/observe-cluster.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { parseSingleNode } from '../args/argument-shapes.js';
import { step } from '../steps/step.js';

type Node = ClusterManifest['nodes'][number];

/** forget_cluster_node, run on another running member; the node itself must be stopped. */
export interface ForgetData {
  forgotten: string;
  via: string;
}

export const forgetAction = defineAction<{ node: Node }, ForgetData>(CATALOG['forget'], {
  parse: (argv, manifest) => parseSingleNode(argv, manifest, CATALOG.forget.usage),
  async run(ctx, { node }) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const o = await observeCluster(s);
    const others = runningNodes(o, ctx.cluster.manifest.nodes).filter((n) => n.name !== node.name);
    const via = others[0];
    if (!via || !o.status) throw new RefusedError(`no other node of ${ctx.cluster.manifest.name} is running to forget ${node.name} from`);
    if (o.status.runningNodes.includes(node.erlangNode)) {
      throw new RefusedError(
        `${node.name} is running; stop it first (docker compose stop ${node.service}, or rabbitmqctl stop_app on it) — only a stopped node can be forgotten`,
      );
    }
    if (!o.status.discNodes.concat(o.status.ramNodes).includes(node.erlangNode)) {
      throw new RefusedError(`${node.erlangNode} is not a member of the cluster ${via.name} belongs to; nothing to forget`);
    }
    if (o.status.discNodes.every((d) => d === node.erlangNode))
      throw new RefusedError(`${node.name} is the cluster's only disc node; forgetting it would leave none`);
    await step(ctx, 'forget', `forget_cluster_node ${node.erlangNode} (via ${via.name})`, () => s.ctl.forgetClusterNode(via, node));
    return {
      ok: true,
      headline: `${node.name} removed from the cluster`,
      text: `forget_cluster_node ${node.erlangNode} ran on ${via.name}. To bring ${node.name} back, reset its data (remove its volume) and run rmq-compose join ${node.name}`,
      data: { forgotten: node.erlangNode, via: via.name },
    };
  },
});
