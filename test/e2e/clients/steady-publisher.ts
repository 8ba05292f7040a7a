import amqp from 'amqplib';
import { amqpConnectOptions } from './client-tls.js';

/**
 * A client that keeps publishing (one confirmed message every `intervalMs`) and reconnects on any
 * failure, recording when each confirm arrived: the gap around a failover is what the user feels.
 */
export interface SteadyPublisher {
  /** Times (ms since epoch) of confirmed publishes. */
  confirms: number[];
  /** Times a new connection was established after the first. */
  reconnects: number[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startSteadyPublisher(url: string, queue: string, intervalMs = 100): SteadyPublisher {
  const state: SteadyPublisher & { running: boolean; loop?: Promise<void> } = {
    confirms: [],
    reconnects: [],
    running: true,
    stop: async () => {
      state.running = false;
      await Promise.race([state.loop, sleep(10_000)]);
    },
  };
  let connected = 0;
  state.loop = (async () => {
    while (state.running) {
      let connection: amqp.ChannelModel | undefined;
      try {
        connection = await amqp.connect(`${url}?heartbeat=5`, amqpConnectOptions(url, 2000));
        connection.on('error', () => undefined);
        if (connected++ > 0) state.reconnects.push(Date.now());
        const channel = await connection.createConfirmChannel();
        channel.on('error', () => undefined);
        await channel.assertQueue(queue, { durable: false, arguments: { 'x-max-length': 1000 } });
        while (state.running) {
          channel.sendToQueue(queue, Buffer.from(String(Date.now())));
          // a half-open connection (its LB gone) never confirms: bound the wait
          await Promise.race([channel.waitForConfirms(), sleep(3000).then(() => Promise.reject(new Error('confirm timeout')))]);
          state.confirms.push(Date.now());
          await sleep(intervalMs);
        }
      } catch {
        await sleep(200);
      } finally {
        // close() waits for the broker's close-ok, which a dead path never sends: bounded
        if (connection) await Promise.race([connection.close().catch(() => undefined), sleep(1000)]);
      }
    }
  })();
  return state;
}
