import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { quorumGate } from '../rabbit/quorum-gate.js';
import { awaitSafeToStop } from '../rabbit/upgrade-readiness.js';
import { waitClustered } from '../rabbit/wait-for.js';
import type { ActionContext } from '../action.js';
import { skipped, step } from './step.js';

type Node = ClusterManifest['nodes'][number];

/** How long a node may wait for its queues' other replicas before the roll stops (resumable). */
export const GATE_MS = 120_000;

/**
 * One node of a rolling change (upgrade, rotate-certs): the quorum gate, drain, a new container
 * from the compose file as it is now, clustered again, revived. Each a step the surfaces show.
 * `what` says what the new container brings; `paused` names the action and says how to go on
 * when a gate stops the roll.
 */
export async function rollNode(
  ctx: ActionContext,
  s: ClusterServices,
  node: Node,
  nodes: readonly Node[],
  what: string,
  paused: { action: string; goOn: string },
): Promise<void> {
  const mirroring = ctx.cluster.manifest.rabbitmq.mirroring;
  const seconds = Math.max(1, Math.round((s.tools.waits.gateMs ?? GATE_MS) / 1000));
  await step(
    ctx,
    `gate-${node.name}`,
    `${node.name}: can it stop? (await_online_quorum_plus_one${mirroring ? ', await_online_synchronized_mirror' : ''}, up to ${seconds} s)`,
    async () => {
      const waited = await awaitSafeToStop(s.compose, node, mirroring, seconds);
      const gate = await quorumGate(s.compose, node, mirroring);
      if (!gate.critical) return;
      throw new RefusedError(
        [
          `${paused.action} paused before ${node.name}: some queues need it right now, RabbitMQ says`,
          ...(waited ? [`  ${waited}`] : []),
          ...gate.findings.map((f) => `  ${f}`),
          `Nothing was stopped. When their other replicas are online (rmq-compose status), ${paused.goOn}`,
        ].join('\n'),
      );
    },
  );
  await step(ctx, `drain-${node.name}`, `${node.name}: drain (clients and queue leaders move to the other nodes)`, () => s.ctl.drain(node));
  await step(ctx, `recreate-${node.name}`, `${node.name}: new container ${what}`, () => s.compose.recreate(node.service));
  await step(ctx, `clustered-${node.name}`, `${node.name}: running in the cluster again`, () => waitClustered(s, node, nodes, ctx.signal));
  const status = await s.ctl.clusterStatus(node).catch(() => undefined);
  if (status?.maintenance[node.erlangNode] === false) skipped(ctx, `revive-${node.name}`, `${node.name}: revive`, 'the new node came up out of maintenance');
  else await step(ctx, `revive-${node.name}`, `${node.name}: revive`, () => s.ctl.revive(node));
}
