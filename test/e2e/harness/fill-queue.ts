import amqp from 'amqplib';
import type { GeneratedCluster } from './generated-cluster.js';

/**
 * Declare a durable queue through node 1's published AMQP port (127.0.0.1) and put `count`
 * persistent, confirmed messages in it: the state the scenarios then look at.
 * `quorum: false` is a classic queue (mirrored when a policy says so).
 */
export async function fillQueue(c: GeneratedCluster, queue: string, count: number, o: { quorum: boolean }): Promise<void> {
  const { user, pass } = c.admin;
  const conn = await amqp.connect(`amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${c.model.nodes[0]!.ports.amqp}`);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(queue, { durable: true, ...(o.quorum ? { arguments: { 'x-queue-type': 'quorum' } } : {}) });
    for (let i = 0; i < count; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`), { persistent: true });
    await ch.waitForConfirms();
    await ch.close();
  } finally {
    await conn.close();
  }
}
