import amqp from 'amqplib';
import { amqpConnectOptions } from './client-tls.js';

/**
 * Messages that carry every property a move must keep (headers, priority, expiration,
 * correlation and message id, content type, type, app id, timestamp, delivery mode), published
 * through a topic exchange, and a reader that takes everything off a queue with what arrived.
 */
export interface SentMessage {
  id: string;
  properties: {
    headers: Record<string, unknown>;
    priority: number;
    expiration: string;
    correlationId: string;
    messageId: string;
    contentType: string;
    type: string;
    appId: string;
    timestamp: number;
    deliveryMode: number;
  };
}

export async function publishWithProperties(url: string, exchange: string, routingKey: string, count: number, prefix: string): Promise<SentMessage[]> {
  const connection = await amqp.connect(url, amqpConnectOptions(url, 5000));
  try {
    const channel = await connection.createConfirmChannel();
    const sent: SentMessage[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${prefix}-${i}`;
      const properties = {
        headers: { 'x-tenant': 'eu-west', 'x-attempt': i, 'x-tags': ['a', 'b'] },
        priority: i % 10,
        // an hour: long enough to outlive the move, and still a TTL the move must not drop
        expiration: '3600000',
        correlationId: `corr-${i}`,
        messageId: id,
        contentType: 'application/json',
        type: 'invoice.created',
        appId: 'billing-app',
        timestamp: 1_765_000_000 + i,
        deliveryMode: 2,
      };
      channel.publish(exchange, routingKey, Buffer.from(JSON.stringify({ id })), properties);
      sent.push({ id, properties });
    }
    await channel.waitForConfirms();
    return sent;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface ReceivedMessage {
  body: string;
  properties: amqp.MessageProperties;
}

/** Consumes and acks until `count` messages arrived or the budget ran out; returns them in order. */
export async function takeAll(url: string, queue: string, count: number, budgetMs: number): Promise<ReceivedMessage[]> {
  const connection = await amqp.connect(url, amqpConnectOptions(url, 5000));
  let channel: amqp.Channel | undefined;
  try {
    channel = await connection.createChannel();
    const ch = channel;
    await ch.prefetch(200);
    const received: ReceivedMessage[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${received.length} of ${count} messages from ${queue} within ${budgetMs} ms`)), budgetMs);
      void ch.consume(queue, (message) => {
        if (!message) return;
        received.push({ body: message.content.toString(), properties: message.properties });
        ch.ack(message);
        if (received.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return received;
  } finally {
    // the channel first: its close is handled after the acks sent on it, while closing the
    // connection could overtake them and hand the last messages back to the queue
    await channel?.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}
