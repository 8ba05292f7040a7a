import type { ClusterHandle } from '../cluster-handle.js';
import { ComposeClient } from '../compose/compose-client.js';
import { dockerEnv } from '../compose/docker-endpoint.js';
import { RefusedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { containerOf } from '../rabbit/observe-cluster.js';
import { LinkNetwork } from './link-network.js';
import { key, steadyQueueDepths, waitEmpty, type QueueRef } from './message-move.js';
import type { ShovelPlan } from './shovel-plan.js';
import type { ActionContext } from '../action.js';
import type { MigrateData } from './migrate-types.js';

/**
 * What the steps of a migration share: the network that links blue's and green's nodes for the
 * shovels, the load balancer's services, the drain's wait, the counts on both sides.
 */
const DRAIN_MS = 15 * 60_000;

/** Polls every 2 s (or the waits' poll) for up to 15 min, saying on the step's line what is left. */
export function drainWait(ctx: ActionContext, s: ClusterServices, id: string, title: string, what: string): Parameters<typeof waitEmpty>[3] {
  return {
    timeoutMs: DRAIN_MS,
    pollMs: Math.min(2000, s.tools.waits.pollMs),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onPoll: (left) => ctx.progress({ id, title, state: 'running', detail: `${what}: ${left}` }),
  };
}

export function linkNetwork(s: ClusterServices, green: ClusterHandle): LinkNetwork {
  return new LinkNetwork(s.tools.runner, `${green.manifest.project}-link`, dockerEnv(s.cluster.manifest.hosts[0]!));
}

/** Every node container of both clusters on the link network; blue's addresses there, in node order. */
export async function connectNodes(link: LinkNetwork, s: ClusterServices, gs: ClusterServices): Promise<string[]> {
  await link.create(s.cluster.manifest.project);
  const blueContainers = await s.compose.ps();
  const greenContainers = await gs.compose.ps();
  const addresses: string[] = [];
  for (const node of s.cluster.manifest.nodes) {
    const c = containerOf(blueContainers, node);
    if (!c) throw new RefusedError(`blue's ${node.name} has no container`);
    addresses.push(await link.connect(c.name));
  }
  for (const node of gs.cluster.manifest.nodes) {
    const c = containerOf(greenContainers, node);
    if (!c) throw new RefusedError(`green's ${node.name} has no container`);
    await link.connect(c.name);
  }
  return addresses;
}

export type PlannedShovel = ShovelPlan['entries'][number];

/**
 * Unacknowledged messages per shovel (the plugin's default is 1000). Each unacked message of a
 * 3.x mirrored queue is state its mirrors keep in step; with 1000 per queue while clients still
 * publish, 3.10's queue processes stopped answering list_queues for minutes in e2e runs and the
 * drain could not be decided. 100 keeps the transfer streaming with a tenth of that state.
 */
export const SHOVEL_PREFETCH = 100;

/** Green's compose client masking the shovels' URIs too (a password percent-encoded is another string). */
export function greenCompose(gs: ClusterServices, shovels: readonly PlannedShovel[]): ComposeClient {
  return new ComposeClient(gs.tools.runner, gs.cluster, [...gs.secrets.all, ...shovels.flatMap((s) => s.secrets)]);
}

export function lbServices(cluster: ClusterHandle): string[] {
  return (cluster.manifest.loadBalancer?.instances ?? []).flatMap((i) => [i.nginxService, ...(i.keepalivedService ? [i.keepalivedService] : [])]);
}

export async function countBoth(s: ClusterServices, gs: ClusterServices, queues: readonly QueueRef[]): Promise<MigrateData['queues']> {
  const blue = await steadyQueueDepths(s, s.cluster.manifest.nodes[0]!, queues).catch(() => new Map<string, number>());
  const green = await steadyQueueDepths(gs, gs.cluster.manifest.nodes[0]!, queues);
  return queues.map((q) => ({ ...q, blue: blue.get(key(q)) ?? 0, green: green.get(key(q)) ?? 0 }));
}
