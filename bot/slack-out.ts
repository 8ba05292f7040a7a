import type { webApi } from '@slack/bolt';
import type { OutgoingFile, RenderedMessage } from './render/result-blocks.js';

type WebClient = webApi.WebClient;

/** Every string in a value with secrets masked; walks blocks so no field is forgotten. */
function deepRedact<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  // bytes (a chart) hold no text to mask, and walking them would turn them into an object
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => deepRedact(v, redact)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepRedact(v, redact)])) as T;
  return value;
}

/**
 * The only way the bot writes to Slack: every outgoing message goes through the redactor, and
 * a message too big for Block Kit goes out as a file upload instead of being cut.
 */
export class SlackOut {
  constructor(
    private readonly client: WebClient,
    private readonly redact: (s: string) => string,
  ) {}

  async post(channel: string, msg: RenderedMessage, threadTs?: string): Promise<string | undefined> {
    const clean = deepRedact(msg, this.redact);
    const res = await this.client.chat.postMessage({ channel, text: clean.text, blocks: clean.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
    await this.attach(channel, clean, res.ts ?? threadTs);
    return res.ts;
  }

  async update(channel: string, ts: string, msg: RenderedMessage): Promise<void> {
    const clean = deepRedact(msg, this.redact);
    await this.client.chat.update({ channel, ts, text: clean.text, blocks: clean.blocks });
    await this.attach(channel, clean, ts);
  }

  /** A file on its own (an alert's chart), in a thread when given one. */
  async upload(channel: string, file: OutgoingFile, threadTs?: string): Promise<void> {
    await this.attach(channel, deepRedact({ text: '', blocks: [], file }, this.redact), threadTs);
  }

  /** files.uploadV2 (getUploadURLExternal → upload → completeUploadExternal), in the message's thread. */
  private async attach(channel: string, msg: RenderedMessage, threadTs: string | undefined): Promise<void> {
    if (!msg.file) return;
    const { filename, title, content } = msg.file;
    const file = typeof content === 'string' ? { channel_id: channel, filename, title, content } : { channel_id: channel, filename, title, file: content };
    // Two calls because the Web API types make thread_ts all-or-nothing.
    if (threadTs) await this.client.filesUploadV2({ ...file, thread_ts: threadTs });
    else await this.client.filesUploadV2(file);
  }
}

export { deepRedact };
