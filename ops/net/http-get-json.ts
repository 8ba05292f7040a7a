import { Agent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checkServerIdentity } from 'node:tls';

/**
 * How to trust an HTTPS server: the cluster's CA (PEM) instead of the system roots, and the name
 * its certificate must carry. The name is the node's, not the URL's host: ops reaches a node
 * through 127.0.0.1 or its machine's address, which the certificate need not list.
 */
export interface HttpsTrust {
  ca: string;
  servername: string;
}

/**
 * GET a JSON document with basic auth (or, with `method` DELETE, remove what the URL names; an
 * empty answer is undefined); throws on anything but a 2xx within the timeout. `trust` is
 * required for https:// URLs.
 */
export type HttpGetJson = (
  url: string,
  auth: { user: string; password: string },
  timeoutMs: number,
  trust?: HttpsTrust,
  method?: 'GET' | 'DELETE',
) => Promise<unknown>;

// one connection per node for the questions `status` asks in a row; closed when idle
const agent = new Agent({ keepAlive: true, maxSockets: 4, timeout: 5_000 });
// the https agent keys its pooled sockets by ca and servername too, so a reused socket was verified the same way
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 4, timeout: 5_000 });

export class HttpError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message, { cause: { code } });
    this.name = code === 'TIMEOUT' ? 'TimeoutError' : 'HttpError';
  }
}

function open(url: string, options: RequestOptions, trust: HttpsTrust | undefined, onResponse: (r: IncomingMessage) => void): ClientRequest {
  if (!url.startsWith('https:')) return httpRequest(url, { ...options, agent }, onResponse);
  if (!trust) throw new HttpError('an https URL needs the cluster CA to verify the server', 'NO_TRUST');
  return httpsRequest(
    url,
    {
      ...options,
      agent: httpsAgent,
      ca: [trust.ca],
      rejectUnauthorized: true,
      servername: trust.servername,
      checkServerIdentity: (_host, cert) => checkServerIdentity(trust.servername, cert),
    },
    onResponse,
  );
}

/**
 * node:http(s) rather than fetch(): the management API is plain HTTP (or HTTPS with the cluster's
 * own CA) on the node's port, and fetch's first use loads undici (~15 ms of every `status` from a
 * terminal).
 */
export const httpGetJson: HttpGetJson = (url, auth, timeoutMs, trust, method = 'GET') =>
  new Promise((resolve, reject) => {
    const headers = { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`, accept: 'application/json' };
    let request: ClientRequest;
    try {
      request = open(url, { headers, method }, trust, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', reject);
        response.on('end', () => {
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) return reject(new HttpError(`HTTP ${status}`, `HTTP_${status}`));
          // DELETE answers 204 with no body
          if (chunks.length === 0 && method !== 'GET') return resolve(undefined);
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new HttpError('not JSON', 'BAD_JSON'));
          }
        });
      });
    } catch (error) {
      return reject(error);
    }
    const timer = setTimeout(() => request.destroy(new HttpError('timed out', 'TIMEOUT')), timeoutMs);
    request.end();
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error instanceof HttpError ? error : new HttpError(error.message, error.code ?? 'ERROR'));
    });
  });
