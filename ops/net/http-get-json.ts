import { Agent, get } from 'node:http';

/** GET a JSON document with basic auth; throws on anything but a 2xx within the timeout. */
export type HttpGetJson = (url: string, auth: { user: string; password: string }, timeoutMs: number) => Promise<unknown>;

// one connection per node for the questions `status` asks in a row; closed when idle
const agent = new Agent({ keepAlive: true, maxSockets: 4, timeout: 5_000 });

export class HttpError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message, { cause: { code } });
    this.name = code === 'TIMEOUT' ? 'TimeoutError' : 'HttpError';
  }
}

/**
 * node:http rather than fetch(): the management API is plain HTTP on the node's port, and
 * fetch's first use loads undici (~15 ms of every `status` from a terminal).
 */
export const httpGetJson: HttpGetJson = (url, auth, timeoutMs) =>
  new Promise((resolve, reject) => {
    const request = get(url, { agent, headers: { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`, accept: 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('error', reject);
      response.on('end', () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) return reject(new HttpError(`HTTP ${status}`, `HTTP_${status}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new HttpError('not JSON', 'BAD_JSON'));
        }
      });
    });
    const timer = setTimeout(() => request.destroy(new HttpError('timed out', 'TIMEOUT')), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error instanceof HttpError ? error : new HttpError(error.message, error.code ?? 'ERROR'));
    });
  });
