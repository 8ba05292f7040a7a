import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGetJson } from '../../../../ops/net/http-get-json.js';

/** The management API client's DELETE, against a real loopback server: the method sent, basic auth, 204 read as nothing, errors by status. */
let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; auth: string }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '' });
    if (req.url?.includes('missing')) return res.writeHead(404).end();
    if (req.method === 'DELETE') return res.writeHead(204).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

test('DELETE is sent as DELETE with basic auth; a 204 resolves to undefined; GET still reads JSON', async () => {
  const auth = { user: 'admin', password: 'pw' };
  await expect(httpGetJson(`${base}/api/parameters/shovel/%2F/a`, auth, 2000, undefined, 'DELETE')).resolves.toBeUndefined();
  await expect(httpGetJson(`${base}/api/overview`, auth, 2000)).resolves.toEqual({ ok: 1 });
  expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['DELETE /api/parameters/shovel/%2F/a', 'GET /api/overview']);
  expect(seen[0]!.auth).toBe(`Basic ${Buffer.from('admin:pw').toString('base64')}`);
  await expect(httpGetJson(`${base}/api/parameters/shovel/%2F/missing`, auth, 2000, undefined, 'DELETE')).rejects.toMatchObject({ code: 'HTTP_404' });
});
