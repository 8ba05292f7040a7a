import { connect } from 'node:net';

/** Can a TCP connection be opened to host:port within the timeout? */
export type TcpProbe = (host: string, port: number, timeoutMs: number) => Promise<boolean>;

export const tcpProbe: TcpProbe = (host, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
