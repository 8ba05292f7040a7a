import { HTTPReceiver, SocketModeReceiver, type Logger, type Receiver, type webApi } from '@slack/bolt';
import type { BotConfig } from './config.js';

/**
 * The one place that knows how Slack reaches the bot. Socket Mode (default): an outbound
 * WebSocket, no public URL, the app token authenticates. HTTP: Slack POSTs to us and every
 * request's signature is verified with the signing secret (Bolt answers 401 otherwise).
 */
export function createReceiver(config: BotConfig, logger: Logger, clientOptions: webApi.WebClientOptions): Receiver {
  if (config.mode === 'socket') {
    return new SocketModeReceiver({
      appToken: config.secrets.appToken ?? '',
      logger,
      // apps.connections.open goes to the same (overridable) Web API as everything else.
      installerOptions: { clientOptions },
    });
  }
  return new HTTPReceiver({
    signingSecret: config.secrets.signingSecret ?? '',
    endpoints: [config.http.path],
    port: config.http.port,
    logger,
    signatureVerification: true,
    // A long-lived server: let ack() answer Slack at once while the listener goes on working.
    // (true is for FaaS, where work after the response may be frozen.)
    processBeforeResponse: false,
  });
}
