import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stand-in for Slack's Socket Mode endpoint (wss-primary.slack.com/link): the URL the fake
 * Web API's `apps.connections.open` hands out, a `hello` on every new socket, events delivered as
 * Slack's envelopes (`{ envelope_id, type, payload, accepts_response_payload }`) and the client's
 * acknowledgement (`{ envelope_id, payload }`, @slack/socket-mode's send()) timed. Bound to
 * 127.0.0.1 on a random port; close() must be called by every test that starts one.
 */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** The client's answer to one envelope, and how long after sending it came. */
export interface SocketAck {
  envelopeId: string;
  /** What ack() was given (Bolt: `{}` for a plain ack). */
  payload: unknown;
  ms: number;
}

/** One socket a client opened: when, by which ticket, and how it ended. */
export interface SocketConnection {
  ticket: number;
  openedAt: number;
  closedAt?: number;
  /** The close code the server saw (1000 when the client said goodbye, 1006 when it vanished). */
  closeCode?: number;
}

interface Waiting {
  sentAt: number;
  resolve: (ack: SocketAck) => void;
}

export class FakeSocketMode {
  readonly connections: SocketConnection[] = [];
  /** Every message clients sent that was not an ack of a pending envelope. */
  readonly stray: string[] = [];
  #server: WebSocketServer | undefined;
  readonly #sockets = new Map<WebSocket, SocketConnection>();
  readonly #waiting = new Map<string, Waiting>();
  #tickets = 0;
  port = 0;

  async start(): Promise<this> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (socket, req) => {
      const ticket = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? 0);
      const connection: SocketConnection = { ticket, openedAt: performance.now() };
      this.connections.push(connection);
      this.#sockets.set(socket, connection);
      socket.on('message', (data) => this.#onMessage(data.toString()));
      socket.on('close', (code) => {
        connection.closedAt = performance.now();
        connection.closeCode = code;
        this.#sockets.delete(socket);
      });
      // what Slack sends first: the client counts itself connected only after it
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake-socket-mode', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0TEST' },
        }),
      );
    });
    return this;
  }

  /** The URL `apps.connections.open` answers with: a new ticket each time, as Slack's are single-use. */
  nextUrl(): string {
    this.#tickets += 1;
    return `ws://127.0.0.1:${this.port}/link/?ticket=${this.#tickets}`;
  }

  /** Sockets open now. */
  get open(): number {
    return this.#sockets.size;
  }

  /**
   * Send one envelope on the newest open socket; resolves with the client's ack, or rejects when
   * none came within `timeoutMs` (Slack's 3 s by default).
   */
  deliver(type: EnvelopeType, payload: Record<string, unknown>, timeoutMs = 3000): Promise<SocketAck> {
    const socket = [...this.#sockets.keys()].at(-1);
    if (!socket) return Promise.reject(new Error(`no open socket to deliver ${type} on; connections: ${JSON.stringify(this.connections)}`));
    const envelopeId = randomUUID();
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(envelopeId);
        reject(new Error(`no ack of ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(envelopeId, {
        sentAt: performance.now(),
        resolve: (ack) => {
          clearTimeout(timer);
          resolve(ack);
        },
      });
      // slash commands and most interactions let the ack carry a response; block_actions do not
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type === 'slash_commands' }));
    });
  }

  /**
   * Drop the newest socket the way Slack does: `refresh-requested` sends a `disconnect` message
   * (the client closes and reconnects), a number closes the socket with that code.
   */
  drop(how: 'refresh-requested' | number): void {
    const socket = [...this.#sockets.keys()].at(-1);
    if (!socket) throw new Error('no open socket to drop');
    if (how === 'refresh-requested') socket.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-socket-mode' } }));
    else socket.close(how, 'going away');
  }

  /** Poll until `predicate` holds (connections come and go on the client's timers). */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; connections: ${JSON.stringify(this.connections)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    for (const socket of this.#sockets.keys()) socket.terminate();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  #onMessage(text: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.stray.push(text);
      return;
    }
    const id = typeof message.envelope_id === 'string' ? message.envelope_id : '';
    const waiting = this.#waiting.get(id);
    if (!waiting) {
      this.stray.push(text);
      return;
    }
    this.#waiting.delete(id);
    waiting.resolve({ envelopeId: id, payload: message.payload, ms: performance.now() - waiting.sentAt });
  }
}
