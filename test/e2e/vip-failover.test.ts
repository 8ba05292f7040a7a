import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSteadyPublisher, type SteadyPublisher } from './clients/steady-publisher.js';
import { addressesOf, reportFigures, waitBooted, waitFor } from './harness/cluster-probes.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { scenarioSpec, subnetOf } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * Issue 3, scenario 5: the generated keepalived pair moves the VIP when the MASTER's keepalived
 * stops and when only the holder's nginx dies (vrrp_script check-nginx), and a client through the
 * VIP carries on. One RabbitMQ node is enough: the load balancer is what is under test.
 */
const harness = useE2eHarness();
const SUBNET = 5;
const VIP = `${subnetOf(SUBNET)}.100`;
const PORT = 25670;
const figures: Record<string, unknown> = {};
let cluster: GeneratedCluster | undefined;
let client: SteadyPublisher | undefined;

async function holders(): Promise<string[]> {
  const found: string[] = [];
  for (const lb of ['lb1', 'lb2']) if ((await addressesOf(cluster!, `${lb}-netns`)).includes(VIP)) found.push(lb);
  return found;
}

/** Polls until exactly `lb` holds the VIP; returns ms since `since`. */
async function vipOn(lb: string, since: number, deadlineMs = 60_000): Promise<number> {
  await waitFor(`VIP ${VIP} on ${lb} only`, deadlineMs, async () => ((await holders()).join() === lb ? true : undefined), 200);
  return Date.now() - since;
}

/** ms from `since` until the client has a confirm on a connection opened after `since`. */
async function clientRecovered(since: number): Promise<number> {
  return waitFor(
    'the client to publish again after reconnecting',
    60_000,
    async () => {
      const reconnect = client!.reconnects.find((t) => t >= since);
      const confirm = reconnect === undefined ? undefined : client!.confirms.find((t) => t >= reconnect);
      return confirm === undefined ? undefined : confirm - since;
    },
    200,
  );
}

/** Health of each service's container, as `docker compose ps` reports it ('' without a healthcheck). */
async function serviceHealth(): Promise<Record<string, string>> {
  const out = (await cluster!.composeChecked(['ps', '--format', 'json'])).stdout.trim();
  // one JSON object per line (Compose 2.21+) or one array (older v2)
  const rows = (
    out.startsWith('[')
      ? JSON.parse(out)
      : out
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
  ) as Array<{ Service: string; Health?: string }>;
  return Object.fromEntries(rows.map((r) => [r.Service, r.Health ?? '']));
}

describe('keepalived VIP failover', () => {
  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: 'e2e-vip',
      image: h.images.v3.ref,
      version: '3.10.8',
      nodes: 1,
      listeners: [{ protocol: 'amqp', port: PORT }],
      keepalived: { virtualRouterId: 65 },
      connectTimeout: '10s',
      subnet: SUBNET,
      portBase: 25000,
    });
    cluster = await openGeneratedCluster('vip', spec, h.env, h.runner);
    await cluster.up();
    await waitBooted(cluster, 'rabbit1');
    await vipOn('lb1', Date.now());
    const { user, pass } = cluster.admin;
    client = startSteadyPublisher(`amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${VIP}:${PORT}`, 'e2e-vip');
    await waitFor('the client to publish through the VIP', 60_000, async () => (client!.confirms.length > 5 ? true : undefined));
  }, 600_000);

  afterAll(async () => {
    try {
      await client?.stop();
    } finally {
      await cluster?.down();
      reportFigures('vip-failover', figures);
    }
  }, 300_000);

  it('both nginx containers report healthy: the generated healthcheck finds the listener in a shared namespace', async () => {
    const t0 = Date.now();
    await waitFor('lb1-nginx and lb2-nginx healthy', 120_000, async () => {
      const health = await serviceHealth();
      return health['lb1-nginx'] === 'healthy' && health['lb2-nginx'] === 'healthy' ? true : undefined;
    });
    figures.nginxHealthyMs = Date.now() - t0;
  }, 180_000);

  it('moves the VIP to lb2 when the MASTER keepalived stops, and the client reconnects', async () => {
    const t0 = Date.now();
    await cluster!.composeChecked(['stop', 'lb1-keepalived']);
    figures.stopCommandMs = Date.now() - t0;
    figures.failoverMs = await vipOn('lb2', t0);
    figures.clientRecoveredMs = await clientRecovered(t0);
  }, 180_000);

  it('gives the VIP back to lb1 after a restart exactly when the generated config preempts', async () => {
    const conf = readFileSync(join(cluster!.clusterDir, 'keepalived', 'lb1.conf'), 'utf8');
    const preempts = !/^\s*nopreempt\b/m.test(conf);
    const t0 = Date.now();
    await cluster!.composeChecked(['start', 'lb1-keepalived']);
    if (preempts) {
      figures.returnMs = await vipOn('lb1', t0);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      expect(await holders()).toEqual(['lb2']);
    }
    figures.preempt = preempts;
    figures.clientRecoveredAfterReturnMs = await clientRecovered(t0);
  }, 180_000);

  it('moves the VIP when only the holder nginx dies (vrrp_script check-nginx)', async () => {
    const [holder] = await holders();
    const other = holder === 'lb1' ? 'lb2' : 'lb1';
    const t0 = Date.now();
    await cluster!.composeChecked(['kill', `${holder}-nginx`]);
    figures.nginxKillFailoverMs = await vipOn(other!, t0);
    figures.clientRecoveredAfterNginxKillMs = await clientRecovered(t0);
    expect((await cluster!.compose(['ps', '--status', 'running', '--services'])).stdout.split('\n')).toContain(`${holder}-keepalived`);
  }, 180_000);

  it('takes the VIP back after a SIGKILLed keepalived restarts, without leaving it on two instances', async () => {
    // restore lb1 as the holder: its nginx back, preemption returns the VIP
    await cluster!.composeChecked(['start', 'lb1-nginx', 'lb2-nginx']);
    await vipOn('lb1', Date.now());
    // SIGKILL: keepalived cannot remove its VIP, and the namespace (lb1-netns) outlives it
    const t0 = Date.now();
    await cluster!.composeChecked(['kill', 'lb1-keepalived']);
    await waitFor('lb2 to take the VIP', 60_000, async () => ((await holders()).includes('lb2') ? true : undefined), 200);
    figures.sigkillFailoverMs = Date.now() - t0;
    figures.holdersAfterSigkill = (await holders()).join('+');
    const t1 = Date.now();
    await cluster!.composeChecked(['start', 'lb1-keepalived']);
    figures.returnAfterSigkillMs = await vipOn('lb1', t1);
    // reconnecting is not required here (the old connection may have stayed on lb1): publishing is
    const back = Date.now();
    await waitFor('the client to publish after the VIP came back', 60_000, async () => (client!.confirms.some((t) => t >= back) ? true : undefined), 200);
  }, 180_000);
});
