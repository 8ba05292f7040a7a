import mqtt from 'mqtt';
import { mqttTlsOptions } from './client-tls.js';

/** Publishes `count` QoS 1 messages on a topic and waits until a subscriber got them all. */
export async function mqttRoundTrip(
  url: string,
  credentials: { username: string; password: string },
  topic: string,
  count = 10,
  timeoutMs = 60_000,
): Promise<number> {
  const options = { ...credentials, connectTimeout: 10_000, reconnectPeriod: 500, keepalive: 30, ...mqttTlsOptions(url) };
  const subscriber = await mqtt.connectAsync(url, { ...options, clientId: `rmq-e2e-sub-${process.pid}` });
  const publisher = await mqtt.connectAsync(url, { ...options, clientId: `rmq-e2e-pub-${process.pid}` });
  try {
    const received = new Set<string>();
    const allReceived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`MQTT: ${received.size}/${count} messages within ${timeoutMs} ms`)), timeoutMs);
      subscriber.on('message', (_topic, payload) => {
        received.add(payload.toString());
        if (received.size >= count) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await subscriber.subscribeAsync(topic, { qos: 1 });
    for (let i = 0; i < count; i++) await publisher.publishAsync(topic, `m${i}`, { qos: 1 });
    await allReceived;
    return received.size;
  } finally {
    await Promise.all([subscriber.endAsync(true), publisher.endAsync(true)]);
  }
}
