import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import { clusterServices, type ClusterServices } from '../ops-tools.js';
import { observeCluster, runningNodes } from '../rabbit/observe-cluster.js';
import { leadersPerNode } from '../status/status-view.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { parseNoArguments } from '../args/argument-shapes.js';
import { step } from '../steps/step.js';

type Node = ClusterManifest['nodes'][number];

/** Quorum queue leaders per running node (short name → count), before and after the rebalance. */
export interface RebalanceData {
  via: string;
  before: Record<string, number>;
  after: Record<string, number>;
}

/**
 * `rabbitmq-queues rebalance quorum` on a running node: RabbitMQ moves leaders from the nodes
 * that lead most to those that lead least (every vhost). Leaders are counted before and after
 * from `list_queues … leader` of the default vhost, the one `status` and `check` read. 4.x only:
 * that is where rmq-compose reads leaders (3.x clusters run classic mirrored queues).
 */
export const rebalanceAction = defineAction<Record<string, never>, RebalanceData>(CATALOG.rebalance, {
  parse(argv, manifest) {
    const args = parseNoArguments(argv, 'rebalance');
    if (manifest.rabbitmq.major < 4)
      throw new RefusedError(
        `rebalance spreads quorum queue leaders, which rmq-compose reads on RabbitMQ 4.x; this cluster runs ${manifest.rabbitmq.version} (classic mirrored queues)`,
      );
    return args;
  },
  async run(ctx) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const running = runningNodes(await observeCluster(s), ctx.cluster.manifest.nodes);
    const [node] = running;
    if (!node) throw new RefusedError(`no RabbitMQ node of ${ctx.cluster.manifest.name} is running; start the cluster first (rmq-compose deploy)`);
    const before = await step(ctx, 'before', 'quorum leaders per node', () => leaders(s, node, running), render);
    await step(ctx, 'rebalance', `rabbitmq-queues rebalance quorum (on ${node.name})`, () => s.ctl.rebalanceQuorum(node));
    const after = await step(ctx, 'after', 'quorum leaders per node, after', () => leaders(s, node, running), render);
    const text = [`before: ${render(before)}`, `after:  ${render(after)}`, `via ${node.name}`].join('\n');
    return { ok: true, headline: `quorum leaders rebalanced: ${render(after)}`, text, data: { via: node.name, before, after } };
  },
});

async function leaders(s: ClusterServices, node: Node, running: readonly Node[]): Promise<Record<string, number>> {
  return leadersPerNode(await s.ctl.listQueues(node, s.cluster.manifest.rabbitmq.major), running) ?? Object.fromEntries(running.map((n) => [n.name, 0]));
}

/** "rabbit1 4, rabbit2 4, rabbit3 4" */
function render(perNode: Record<string, number>): string {
  const entries = Object.entries(perNode);
  return entries.length ? entries.map(([n, c]) => `${n} ${c}`).join(', ') : 'no running node';
}
