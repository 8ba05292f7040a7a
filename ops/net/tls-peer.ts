import { connect } from 'node:tls';

/**
 * Why no certificate was read: `unreachable` when no TCP connection opened (the port is closed
 * or the machine does not answer: other findings say so), `handshake` when a connection opened
 * but no TLS server answered with a certificate (wrong protocol, a broken TLS setup).
 */
export class TlsPeerError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'handshake',
  ) {
    super(message);
    this.name = 'TlsPeerError';
  }
}

export interface TlsPeerOptions {
  /** SNI, when the name is a DNS name (an IP address is not allowed there, RFC 6066). */
  servername?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The certificate a TLS server presents at host:port, as PEM; throws TlsPeerError. */
export type TlsPeerCertificate = (host: string, port: number, options: TlsPeerOptions) => Promise<string>;

/**
 * A handshake that accepts any certificate (rejectUnauthorized: false) so the caller can judge
 * it against the cluster CA and say exactly what is wrong, where a verifying client would only
 * fail. Nothing is sent after the handshake.
 */
export const tlsPeerCertificate: TlsPeerCertificate = (host, port, options) =>
  new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new TlsPeerError('aborted', 'unreachable'));
    let connected = false;
    const socket = connect({ host, port, rejectUnauthorized: false, ...(options.servername ? { servername: options.servername } : {}) });
    const fail = (message: string) => done(() => reject(new TlsPeerError(message, connected ? 'handshake' : 'unreachable')));
    const onAbort = () => fail('aborted');
    function done(settle: () => void) {
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      settle();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(options.timeoutMs, () => fail(connected ? 'no TLS handshake within the timeout' : 'no answer within the timeout'));
    socket.once('connect', () => (connected = true));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate();
      if (cert) done(() => resolve(cert.toString()));
      else fail('the server presented no certificate');
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      fail(connected ? `TLS handshake failed (${error.code ?? error.message})` : (error.code ?? error.message)),
    );
  });
