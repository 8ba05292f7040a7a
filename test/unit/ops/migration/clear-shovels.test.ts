import { rm } from 'node:fs/promises';
import { fakeManifest } from '../../../support/memory-ops.js';
import { clearShovels } from '../../../../ops/migration/clear-shovels.js';
import { HttpError } from '../../../../ops/net/http-get-json.js';
import { clusterServices } from '../../../../ops/ops-tools.js';
import { clusterDir, fakeTools, ScriptedRunner } from '../fake-runner.js';

/**
 * Tearing down a move's shovels: through the management API (one DELETE each, a few at a time),
 * an already-removed one being fine; `rabbitmqctl clear_parameter` only for what the API did not
 * take, or for all when the API does not answer.
 */
const shovels = [
  { vhost: '/', name: 'rmq-compose-move-orders' },
  { vhost: 'orders/eu', name: 'rmq-compose-move-billing.v2 (eu)' },
  { vhost: '/', name: 'rmq-compose-move-gone' },
];
const CLEAR = (vhost: string, name: string) => `exec -T rabbit1 rabbitmqctl clear_parameter --vhost=${vhost} -- shovel ${name}`;

type Http = (url: string, method: string) => unknown;
async function withServices(runner: ScriptedRunner, http: Http, fn: (s: Awaited<ReturnType<typeof clusterServices>>) => Promise<void>) {
  const manifest = fakeManifest();
  manifest.nodes = manifest.nodes.map((n, i) => ({ ...n, ports: { amqp: 5672 + i, management: 15672 + i } }));
  const dir = await clusterDir(manifest);
  try {
    await fn(await clusterServices({ dir, manifest }, fakeTools(runner, { http: async (url, _a, _t, _trust, method) => http(url, method ?? 'GET') })));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('clearShovels', () => {
  test('one DELETE per shovel through the API, names and vhosts escaped; a 404 counts as removed; no rabbitmqctl', async () => {
    const runner = new ScriptedRunner([['compose version --short', { stdout: '2.26.1' }]]);
    const deleted: string[] = [];
    await withServices(
      runner,
      (url, method) => {
        if (url.endsWith('/api/overview')) return { rabbitmq_version: '4.3.6' };
        if (method !== 'DELETE') throw new Error(`unexpected ${method} ${url}`);
        deleted.push(new URL(url).pathname);
        if (url.includes('gone')) throw new HttpError('HTTP 404', 'HTTP_404');
        return undefined;
      },
      async (s) => expect(await clearShovels(s, shovels)).toEqual({ via: 'api', cleared: 3 }),
    );
    expect(deleted.sort()).toEqual([
      '/api/parameters/shovel/%2F/rmq-compose-move-gone',
      '/api/parameters/shovel/%2F/rmq-compose-move-orders',
      '/api/parameters/shovel/orders%2Feu/rmq-compose-move-billing.v2%20(eu)',
    ]);
    expect(runner.calls.filter((c) => c.includes('clear_parameter'))).toEqual([]);
  });

  test('a shovel the API refused (not a 404) is cleared with rabbitmqctl; the others are not asked twice', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CLEAR('orders/eu', 'rmq-compose-move-billing.v2 (eu)'), { stdout: '' }],
    ]);
    await withServices(
      runner,
      (url) => {
        if (url.endsWith('/api/overview')) return { rabbitmq_version: '4.3.6' };
        if (url.includes('orders%2Feu')) throw new HttpError('HTTP 500', 'HTTP_500');
        return undefined;
      },
      async (s) => expect(await clearShovels(s, shovels)).toEqual({ via: 'api', cleared: 3 }),
    );
    expect(runner.calls.filter((c) => c.includes('clear_parameter'))).toEqual([CLEAR('orders/eu', 'rmq-compose-move-billing.v2 (eu)')]);
  });

  test('no API: every shovel through rabbitmqctl, one gone already being fine', async () => {
    const runner = new ScriptedRunner([
      ['compose version --short', { stdout: '2.26.1' }],
      [CLEAR('/', 'rmq-compose-move-orders'), { stdout: '' }],
      [CLEAR('orders/eu', 'rmq-compose-move-billing.v2 (eu)'), { stdout: '' }],
      [CLEAR('/', 'rmq-compose-move-gone'), { exitCode: 2, stderr: 'Error: Parameter does not exist' }],
    ]);
    await withServices(
      runner,
      () => {
        throw new HttpError('connect ECONNREFUSED', 'ECONNREFUSED');
      },
      async (s) => expect(await clearShovels(s, shovels)).toEqual({ via: 'rabbitmqctl', cleared: 3 }),
    );
    expect(runner.calls.filter((c) => c.includes('clear_parameter'))).toHaveLength(3);
  });
});
