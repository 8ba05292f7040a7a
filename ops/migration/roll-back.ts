import { CONTAINER_PORTS } from '../../contract/ports.js';
import { RefusedError } from '../errors.js';
import { loadCluster } from '../load-cluster.js';
import { clusterServices, type ClusterServices } from '../ops-tools.js';
import { importDefinitions } from '../rabbit/definitions.js';
import { isNodeRunning, observeCluster } from '../rabbit/observe-cluster.js';
import { amqpUri } from './amqp-uri.js';
import { clearShovels } from './clear-shovels.js';
import { key, label, steadyQueueDepths, waitEmpty } from './message-move.js';
import { clearMigrationState, type MigrationState } from './migration-state.js';
import { moveUserFor, removeMoveUser } from './move-user.js';
import { planShovels, shovelDefinitions } from './shovel-plan.js';
import type { ActionContext } from '../action.js';
import { step } from '../steps/step.js';
import type { MigrateData } from './migrate-types.js';
import { connectNodes, countBoth, drainWait, greenCompose, lbServices, linkNetwork, SHOVEL_PREFETCH } from './blue-green-link.js';

/**
 * Back to blue before it is retired: the load balancer handed back, whatever green received
 * since the switch shovelled back into blue's queues, green removed (containers and data; its
 * folder and spec stay for another try).
 */
export async function rollBack(
  ctx: ActionContext,
  s: ClusterServices,
  state: MigrationState,
): Promise<{ ok: boolean; headline: string; text: string; data: MigrateData }> {
  const blue = ctx.cluster;
  const green = await loadCluster(state.greenDir).catch(() => undefined);
  if (!green) {
    await clearMigrationState(blue.dir);
    return {
      ok: true,
      headline: `${blue.manifest.name}: nothing of green to undo; the migration record is cleared`,
      text: '',
      data: { kind: 'rollback', green: { dir: state.greenDir, spec: state.greenSpec }, queues: [], report: [] },
    };
  }
  // green is changed (shovels, load balancer) and removed: under its lock, in its audit.log too
  await ctx.alsoHold?.(green);
  const gs = await clusterServices(green, ctx.tools);
  const greenFirst = green.manifest.nodes[0]!;
  const greenUp = state.done.includes('green-running');
  if (greenUp && state.done.includes('shovels') && !state.done.includes('drained')) {
    await step(ctx, 'stop-shovels', 'stop the blue → green shovels', () =>
      clearShovels(
        gs,
        state.queues.map((q) => ({ vhost: q.vhost, name: q.shovel })),
      ),
    );
  }
  if (state.done.includes('switched')) {
    await step(ctx, 'switch-back', "hand the load balancer back: stop green's, start blue's", async () => {
      await gs.compose.stopServices(lbServices(green), 5);
      await s.compose.upServices(lbServices(blue));
    });
  }
  let counts: MigrateData['queues'] = [];
  if (greenUp && state.queues.length > 0) {
    const depths = await steadyQueueDepths(gs, greenFirst, state.queues);
    const back = state.queues.filter((q) => (depths.get(key(q)) ?? 0) > 0);
    if (back.length > 0) {
      const link = linkNetwork(s, green);
      const addresses = await step(ctx, 'linked', `join both clusters' nodes on ${link.name}`, () => connectNodes(link, s, gs));
      const mover = await moveUserFor(ctx, s, state, [...new Set(back.map((q) => q.vhost))]);
      // the same shovels the other way, still run by green: from its own queues to blue's node
      const plan = planShovels(
        back.map((q) => ({ ...q, action: { kind: 'unchanged', why: 'already-quorum' }, greenType: 'quorum' })),
        [...new Set(back.map((q) => q.vhost))].map((vhost) => ({
          vhost,
          srcUri: amqpUri({ vhost }),
          destUri: amqpUri({ user: mover.name, pass: mover.password, host: addresses[0]!, port: CONTAINER_PORTS.amqp, vhost }),
        })),
        { hostVersion: green.manifest.rabbitmq.version, deleteAfter: 'never', prefix: 'rmq-compose-rollback', prefetch: SHOVEL_PREFETCH },
      );
      const backTitle = `move ${back.length} queue(s) of messages green received back to blue`;
      await step(ctx, 'shovel-back', backTitle, async () => {
        await importDefinitions(greenCompose(gs, plan.entries), greenFirst, shovelDefinitions(plan));
        await waitEmpty(gs, greenFirst, back, drainWait(ctx, s, 'shovel-back', backTitle, 'still on green'));
        await clearShovels(gs, plan.entries);
      });
      await link.remove();
    }
    counts = await countBoth(s, gs, state.queues);
  }
  await linkNetwork(s, green).remove();
  if (greenUp && state.queues.length > 0) {
    // green's data goes next: only when rabbitmqctl itself says nothing is left in it
    const left = [...(await steadyQueueDepths(gs, greenFirst, state.queues))].filter(([, n]) => n > 0);
    if (left.length > 0)
      throw new RefusedError(
        `green still holds messages (${left.map(([k, n]) => `${k.split('\u0000')[1]}: ${n}`).join(', ')}); not removing it. Clients are on blue again; run \`migrate rollback\` again to move the rest`,
      );
  }
  await step(ctx, 'green-down', `remove green's containers and data (${green.manifest.project}); its folder and spec stay`, () => gs.compose.down(true));
  // only a move that made it (recorded before it was made) has one to remove
  if (state.mover) await removeMoveUser(s.compose, blue.manifest.nodes[0]!);
  await clearMigrationState(blue.dir);
  const still = await observeCluster(s);
  const running = blue.manifest.nodes.filter((n) => isNodeRunning(still, n)).length;
  return {
    ok: true,
    headline: `${blue.manifest.name}: rolled back, clients on blue again (${running}/${blue.manifest.nodes.length} nodes running); green removed`,
    text: counts.map((c) => `${label(c)}: blue ${c.blue}, green ${c.green}`).join('\n'),
    data: { kind: 'rollback', green: { dir: state.greenDir, spec: state.greenSpec }, queues: counts, report: [] },
  };
}
