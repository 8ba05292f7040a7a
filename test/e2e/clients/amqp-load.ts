import amqp from 'amqplib';
import { amqpConnectOptions } from './client-tls.js';

/**
 * Publishes and consumes numbered persistent messages through a flaky path (a load balancer
 * whose backend gets killed): every confirmed id must come back; duplicates are counted apart
 * (at-least-once is fine, loss is not). Connections are retried with a bounded budget.
 */
export interface LoadTarget {
  url: string;
  queue: string;
  queueType: 'classic' | 'quorum';
}

export interface PublishReport {
  confirmed: Set<number>;
  reconnects: number;
  durationMs: number;
  /** Longest time between two confirmed batches (or from the start to the first): what a client feels. */
  longestPauseMs: number;
}

export interface ConsumeReport {
  received: Set<number>;
  duplicates: number;
  reconnects: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connectWithRetry(url: string, deadline: number): Promise<amqp.ChannelModel> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await amqp.connect(url, amqpConnectOptions(url, 5000));
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  throw new Error(`could not connect to ${url.replace(/\/\/[^@]*@/, '//***@')}: ${String(lastError)}`);
}

export function queueArguments(target: LoadTarget): amqp.Options.AssertQueue {
  return { durable: true, arguments: target.queueType === 'quorum' ? { 'x-queue-type': 'quorum' } : {} };
}

/** Publishes ids 0..total-1 with publisher confirms, re-sending what was not confirmed after a failure. */
export async function publishAll(
  target: LoadTarget,
  total: number,
  /** pauseMs: a rest after each confirmed batch, to keep a slow steady stream going for as long as an operation takes */
  options: { batch?: number; budgetMs?: number; pauseMs?: number; onProgress?: (confirmed: number) => void } = {},
): Promise<PublishReport> {
  const batch = options.batch ?? 250;
  const started = Date.now();
  let lastConfirm = started;
  let longestPauseMs = 0;
  const deadline = started + (options.budgetMs ?? 180_000);
  const confirmed = new Set<number>();
  let reconnects = -1;
  while (confirmed.size < total) {
    if (Date.now() > deadline) throw new Error(`publish budget exhausted with ${confirmed.size}/${total} confirmed`);
    reconnects++;
    let connection: amqp.ChannelModel | undefined;
    try {
      connection = await connectWithRetry(target.url, deadline);
      connection.on('error', () => undefined);
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      await channel.assertQueue(target.queue, queueArguments(target));
      const pending = Array.from({ length: total }, (_, id) => id).filter((id) => !confirmed.has(id));
      for (let i = 0; i < pending.length; i += batch) {
        const ids = pending.slice(i, i + batch);
        for (const id of ids) {
          channel.publish('', target.queue, Buffer.from(String(id)), { persistent: true, messageId: String(id) });
        }
        await channel.waitForConfirms();
        for (const id of ids) confirmed.add(id);
        const now = Date.now();
        longestPauseMs = Math.max(longestPauseMs, now - lastConfirm - (options.pauseMs ?? 0));
        lastConfirm = now;
        options.onProgress?.(confirmed.size);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
      await connection.close().catch(() => undefined);
    } catch {
      await connection?.close().catch(() => undefined);
      await sleep(200);
    }
  }
  return { confirmed, reconnects, durationMs: Date.now() - started, longestPauseMs };
}

/** Consumes until every expected id has arrived (or the budget runs out), acking each message. */
export async function consumeAll(target: LoadTarget, expected: Set<number>, options: { budgetMs?: number } = {}): Promise<ConsumeReport> {
  const deadline = Date.now() + (options.budgetMs ?? 180_000);
  const received = new Set<number>();
  let duplicates = 0;
  let reconnects = -1;
  const missing = () => [...expected].some((id) => !received.has(id));
  while (missing() && Date.now() < deadline) {
    reconnects++;
    let connection: amqp.ChannelModel | undefined;
    try {
      connection = await connectWithRetry(target.url, deadline);
      connection.on('error', () => undefined);
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.assertQueue(target.queue, queueArguments(target));
      await channel.prefetch(500);
      const closed = new Promise<void>((resolve) => connection!.once('close', () => resolve()));
      await channel.consume(target.queue, (message) => {
        if (!message) return;
        const id = Number(message.content.toString());
        if (received.has(id)) duplicates++;
        received.add(id);
        channel.ack(message);
      });
      while (missing() && Date.now() < deadline) {
        const settled = await Promise.race([closed.then(() => 'closed' as const), sleep(200).then(() => 'tick' as const)]);
        if (settled === 'closed') break;
      }
      await connection.close().catch(() => undefined);
    } catch {
      await connection?.close().catch(() => undefined);
      await sleep(200);
    }
  }
  return { received, duplicates, reconnects };
}

/** Round trip of a few messages: proves a listener forwards AMQP to a working broker. */
export async function amqpRoundTrip(url: string, queue: string, count = 10): Promise<number> {
  const target: LoadTarget = { url, queue, queueType: 'classic' };
  const published = await publishAll(target, count, { budgetMs: 60_000 });
  const consumed = await consumeAll(target, published.confirmed, { budgetMs: 60_000 });
  return consumed.received.size;
}

/** A consumer that stays connected (reconnecting through whatever the URL reaches) until stopped. */
export interface RunningConsumer {
  received: Set<number>;
  duplicates: number;
  reconnects: number;
  stop(): Promise<void>;
}

export function startConsumer(target: LoadTarget): RunningConsumer {
  const state = { received: new Set<number>(), duplicates: 0, reconnects: -1, running: true };
  const loop = (async () => {
    while (state.running) {
      state.reconnects++;
      let connection: amqp.ChannelModel | undefined;
      try {
        connection = await amqp.connect(target.url, amqpConnectOptions(target.url, 5000));
        connection.on('error', () => undefined);
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        await channel.assertQueue(target.queue, queueArguments(target));
        await channel.prefetch(200);
        const closed = new Promise<void>((resolve) => connection!.once('close', () => resolve()));
        await channel.consume(target.queue, (message) => {
          if (!message) return;
          const id = Number(message.content.toString());
          if (state.received.has(id)) state.duplicates++;
          state.received.add(id);
          channel.ack(message);
        });
        while (state.running) {
          const settled = await Promise.race([closed.then(() => 'closed' as const), sleep(200).then(() => 'tick' as const)]);
          if (settled === 'closed') break;
        }
      } catch {
        await sleep(250);
      } finally {
        if (connection) await Promise.race([connection.close().catch(() => undefined), sleep(1000)]);
      }
    }
  })();
  return {
    get received() {
      return state.received;
    },
    get duplicates() {
      return state.duplicates;
    },
    get reconnects() {
      return state.reconnects;
    },
    stop: async () => {
      state.running = false;
      await Promise.race([loop, sleep(10_000)]);
    },
  };
}
