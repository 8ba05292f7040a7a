import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { nginxHealthcheck } from '../../generator/render/compose/lb-services.js';
import { ExecaRunner } from '../../ops/runner/execa-runner.js';

/**
 * The generated nginx healthcheck, run as Docker runs it (argv, no shell) against this machine's
 * kernel: healthy while something listens on all addresses at the port, unhealthy once it closes.
 */
describe('nginx healthcheck against a real socket table', () => {
  const runner = new ExecaRunner();
  const check = async (port: number) => {
    const [, file, ...args] = nginxHealthcheck(port).test;
    return (await runner.run({ file: file!, args, timeoutMs: 10_000 })).exitCode;
  };

  test('exit 0 while a listener is open on 0.0.0.0:<port>, 1 after it closes', async () => {
    const server = createServer();
    server.listen(0, '0.0.0.0');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      expect(await check(port)).toBe(0);
    } finally {
      server.close();
      await once(server, 'close');
    }
    expect(await check(port)).toBe(1);
  });
});
