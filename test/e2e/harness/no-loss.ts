import amqp from 'amqplib';
import { consumeAll, publishAll, queueArguments, type LoadTarget } from '../clients/amqp-load.js';
import { queueLeader, waitClustered, waitFor } from './cluster-probes.js';
import type { GeneratedCluster } from './generated-cluster.js';
import { applyPolicies } from './seed-deploy.js';

/**
 * Scenarios 3 and 4 in one procedure: persistent messages with publisher confirms through the
 * load balancer, the node holding the queue's leader killed (SIGKILL, no goodbye) mid-publish,
 * then everything consumed through the load balancer. Every confirmed id must come back.
 */
export interface NoLossFigures {
  total: number;
  confirmed: number;
  received: number;
  missing: number;
  duplicates: number;
  killedNode: string;
  confirmedAtKill: number;
  publishActiveAfterKill: boolean;
  publishReconnects: number;
  consumeReconnects: number;
  publishMs: number;
  consumeMs: number;
  clusteredMs: number;
}

export async function runNoLoss(cluster: GeneratedCluster, lbPort: number, queueType: LoadTarget['queueType'], total = 10_000): Promise<NoLossFigures> {
  const started = Date.now();
  await cluster.up();
  const names = cluster.model.nodes.map((n) => n.name);
  await waitClustered(cluster, names[0]!, names);
  await applyPolicies(cluster);
  const clusteredMs = Date.now() - started;

  const { user, pass } = cluster.admin;
  // heartbeat 5 s: a connection whose node vanished is noticed in ~10 s, not after nginx's idle timeout
  const target: LoadTarget = {
    url: `amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${lbPort}?heartbeat=5`,
    queue: `e2e-no-loss-${queueType}`,
    queueType,
  };
  await declare(target);
  const killedNode = await waitFor('the queue leader', 60_000, () => queueLeader(cluster, names[0]!, target.queue));

  let confirmedNow = 0;
  let finished = false;
  const publishing = publishAll(target, total, { batch: 100, budgetMs: 300_000, onProgress: (n) => (confirmedNow = n) }).finally(() => (finished = true));
  await waitFor('1000 confirms before the kill', 120_000, async () => (confirmedNow >= 1000 || finished ? true : undefined), 20);
  const confirmedAtKill = confirmedNow;
  await cluster.composeChecked(['kill', killedNode]);
  const publishActiveAfterKill = !finished;
  const published = await publishing;

  const consumeStarted = Date.now();
  const consumed = await consumeAll(target, published.confirmed, { budgetMs: 300_000 });
  const missing = [...published.confirmed].filter((id) => !consumed.received.has(id)).length;
  return {
    total,
    confirmed: published.confirmed.size,
    received: [...published.confirmed].filter((id) => consumed.received.has(id)).length,
    missing,
    duplicates: consumed.duplicates,
    killedNode,
    confirmedAtKill,
    publishActiveAfterKill,
    publishReconnects: published.reconnects,
    consumeReconnects: consumed.reconnects,
    publishMs: published.durationMs,
    consumeMs: Date.now() - consumeStarted,
    clusteredMs,
  };
}

async function declare(target: LoadTarget): Promise<void> {
  const connection = await amqp.connect(target.url);
  try {
    const channel = await connection.createChannel();
    await channel.assertQueue(target.queue, queueArguments(target));
  } finally {
    await connection.close();
  }
}
