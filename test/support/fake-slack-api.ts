import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the bot made to "Slack": a Web API method, a file upload, or a response_url post. */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** Raw body, for uploads (multipart) and secret scans. */
  raw: string;
  /** The same body as bytes (an uploaded picture). */
  body: Buffer;
  authorization: string | undefined;
  /** What the fake answered (e.g. the ts of a posted message). */
  response?: Record<string, unknown>;
}

function parseParams(req: IncomingMessage, raw: string): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  if (type.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      // WebClient JSON-encodes objects (blocks) inside the form.
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    }
    return out;
  }
  return {};
}

/**
 * A local stand-in for slack.com: the Web API (`/api/<method>`), the file-upload URL it hands out,
 * and response_url endpoints. Records every call and answers `{ ok: true, … }`. Bound to
 * 127.0.0.1 on a random port; close() must be called by every test that starts one.
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** usergroups.users.list answers. */
  readonly groups = new Map<string, string[]>();
  /** Methods that answer { ok: false, error } instead (e.g. not_in_channel). */
  readonly failing = new Map<string, string>();
  /** Socket Mode: the WebSocket URL `apps.connections.open` hands out (test/support/fake-socket-mode.ts). */
  socketUrl: (() => string) | undefined;
  #server: Server | undefined;
  #ts = 1_700_000_000;
  #files = 0;
  #responses = 0;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url, as Slack puts in each slash command and interactive payload. */
  responseUrl(): string {
    this.#responses += 1;
    return `http://127.0.0.1:${this.port}/response/${this.#responses}`;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const raw = body.toString('utf8');
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const method = path.startsWith('/api/')
          ? path.slice(5)
          : path.startsWith('/upload/')
            ? 'file.upload'
            : path.startsWith('/response/')
              ? 'response_url'
              : path;
        let params: Record<string, unknown>;
        try {
          params = parseParams(req, raw);
        } catch {
          params = {};
        }
        const call: RecordedCall = { method, params, raw, body, authorization: req.headers.authorization };
        this.calls.push(call);
        const answer = this.answer(method, params);
        call.response = answer;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  private answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const error = this.failing.get(method);
    if (error) return { ok: false, error };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Test', user: 'rmq', team_id: 'T0TEST', user_id: 'UBOT0', bot_id: 'BBOT0' };
      case 'chat.postMessage':
        this.#ts += 1;
        return { ok: true, channel: params.channel, ts: `${this.#ts}.000100`, message: { text: params.text } };
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl() } : { ok: false, error: 'not_allowed_token_type' };
      case 'usergroups.users.list':
        return { ok: true, users: this.groups.get(String(params.usergroup)) ?? [] };
      case 'files.getUploadURLExternal':
        this.#files += 1;
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/F${this.#files}`, file_id: `F${this.#files}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F1', title: 'upload' }] };
      default:
        return { ok: true };
    }
  }

  of(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Poll until `predicate` holds (the bot works after ack, so its calls land a little later). */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }
}

/** The PNG inside an upload's multipart body (signature to the end of IEND), or undefined. */
export function uploadedPng(call: RecordedCall): Buffer | undefined {
  const start = call.body.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const iend = call.body.indexOf(Buffer.from('IEND'), start);
  return start >= 0 && iend > start ? call.body.subarray(start, iend + 8) : undefined;
}

/** Text of every block and the fallback text of a recorded message, joined (for assertions). */
export function messageText(call: RecordedCall): string {
  return `${String(call.params.text ?? '')}\n${JSON.stringify(call.params.blocks ?? [])}`;
}
