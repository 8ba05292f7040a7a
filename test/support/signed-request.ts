import { createHmac } from 'node:crypto';
import { request } from 'node:http';

export interface SignOptions {
  /** Seconds since the epoch; default now. A value > 5 minutes old is "stale" to Bolt. */
  timestamp?: number;
  /** Sign with this secret instead (a bad signature). */
  secret?: string;
  /** Leave the signature headers out. */
  unsigned?: boolean;
}

/**
 * A signing secret of Slack's shape (32 hex digits) for tests and benches: the bot refuses any
 * other shape at start-up (bot/config.ts), so a made-up word no longer passes.
 */
export const TEST_SIGNING_SECRET = '5f0c7e1d9a3b4c2e8d6f1a0b3c5e7d9f';

/** Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface PostResult {
  status: number;
  body: string;
  ms: number;
}

/** POST a form-encoded body to the receiver the way Slack does (signed unless told not to). */
export function postSigned(url: string, secret: string, body: string, opts: SignOptions = {}): Promise<PostResult> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
  };
  if (!opts.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = sign(opts.secret ?? secret, timestamp, body);
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface SlashFields {
  user_id: string;
  channel_id: string;
  text: string;
  response_url: string;
  command?: string;
  user_name?: string;
}

/** The form Slack sends for `/rmq …`. */
export function slashBody(f: SlashFields): string {
  return new URLSearchParams(slashPayload(f)).toString();
}

/** The fields of a slash command: the HTTP form's, and the payload of a Socket Mode `slash_commands` envelope. */
export function slashPayload(f: SlashFields): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: f.channel_id,
    channel_name: 'ops',
    user_id: f.user_id,
    user_name: f.user_name ?? f.user_id.toLowerCase(),
    command: f.command ?? '/rmq',
    text: f.text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: f.response_url,
    trigger_id: '1.2.3',
  };
}

export interface ButtonClick {
  user_id: string;
  channel_id: string;
  message_ts: string;
  action_id: string;
  value: string;
  response_url: string;
}

/** The `payload=` form Slack sends when someone presses a Block Kit button. */
export function buttonBody(c: ButtonClick): string {
  return new URLSearchParams({ payload: JSON.stringify(buttonPayload(c)) }).toString();
}

/** A block_actions payload: inside the HTTP form, and the payload of a Socket Mode `interactive` envelope. */
export function buttonPayload(c: ButtonClick): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: c.user_id, username: c.user_id.toLowerCase(), name: c.user_id.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: c.message_ts, channel_id: c.channel_id, is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: c.channel_id, name: 'ops' },
    message: { type: 'message', ts: c.message_ts, text: 'Confirm', user: 'UBOT0' },
    response_url: c.response_url,
    actions: [
      {
        type: 'button',
        action_id: c.action_id,
        block_id: 'rmq_pending',
        value: c.value,
        action_ts: String(Date.now() / 1000),
        text: { type: 'plain_text', text: 'x' },
      },
    ],
  };
}
