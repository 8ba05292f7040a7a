import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { amqpRoundTrip } from './clients/amqp-load.js';
import { mqttRoundTrip } from './clients/mqtt-round-trip.js';
import { addressesOf, clusterStatus, reportFigures, waitFor } from './harness/cluster-probes.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { deployWithOps } from './harness/ops-deploy.js';
import { HA_ALL, SEED_NODES, scenarioSpec, subnetOf } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * Issue 3, scenario 1: the seed's cluster as generated (one disc node, two RAM nodes, MQTT and AMQP
 * listeners, two keepalived instances), deployed by the ops core's `deploy` (the seed's manual
 * join, the ha-all policy), then used by real AMQP and MQTT clients through nginx, both at the VIP
 * and at the host port lb1 publishes.
 */
const harness = useE2eHarness();
const SUBNET = 1;
const VIP = `${subnetOf(SUBNET)}.100`;
const PORTS = { mqtt: 21883, amqp: 21670 };
const figures: Record<string, number> = {};
let cluster: GeneratedCluster | undefined;

describe('seed cluster, manual formation (RabbitMQ 3.x)', () => {
  beforeAll(async () => {
    const h = harness();
    const spec = scenarioSpec({
      name: 'e2e-seed',
      image: h.images.v3.ref,
      version: '3.10.8',
      nodes: SEED_NODES,
      formation: 'manual',
      plugins: ['rabbitmq_management', 'rabbitmq_mqtt'],
      listeners: [
        { protocol: 'mqtt', port: PORTS.mqtt },
        { protocol: 'amqp', port: PORTS.amqp },
      ],
      keepalived: { virtualRouterId: 61 },
      policies: [HA_ALL],
      subnet: SUBNET,
      portBase: 21000,
    });
    cluster = await openGeneratedCluster('seed', spec, h.env, h.runner);
    const started = Date.now();
    const deployed = await deployWithOps(cluster, h.env, h.runner);
    figures.deployMs = Date.now() - started;
    if (!deployed.ok) throw new Error(`deploy failed: ${deployed.headline}\n${deployed.text}`);
  }, 600_000);

  afterAll(async () => {
    await cluster?.down();
    reportFigures('seed-manual-formation', figures);
  }, 300_000);

  it('shows rabbit1 disc, rabbit2 and rabbit3 ram, all running', async () => {
    const status = await clusterStatus(cluster!, 'rabbit1');
    expect(status?.disk_nodes).toEqual(['rabbit@rabbit1']);
    expect([...(status?.ram_nodes ?? [])].sort()).toEqual(['rabbit@rabbit2', 'rabbit@rabbit3']);
    expect([...(status?.running_nodes ?? [])].sort()).toEqual(['rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3']);
  });

  it('holds the VIP on exactly one keepalived instance', async () => {
    const started = Date.now();
    const holders = await waitFor(`VIP ${VIP}`, 60_000, async () => {
      const found = [];
      for (const lb of ['lb1', 'lb2']) if ((await addressesOf(cluster!, `${lb}-netns`)).includes(VIP)) found.push(lb);
      return found.length > 0 ? found : undefined;
    });
    figures.vipMs = Date.now() - started;
    expect(holders).toEqual(['lb1']);
  });

  it.each([
    ['the VIP', VIP],
    ['the host port on 127.0.0.1', '127.0.0.1'],
  ])(
    'carries AMQP and MQTT through nginx at %s',
    async (_what, host) => {
      const { user, pass } = cluster!.admin;
      const amqpUrl = `amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}:${PORTS.amqp}`;
      expect(await amqpRoundTrip(amqpUrl, `e2e-seed-${host}`, 20)).toBe(20);
      expect(await mqttRoundTrip(`mqtt://${host}:${PORTS.mqtt}`, { username: user, password: pass }, `e2e/seed/${host}`, 20)).toBe(20);
    },
    180_000,
  );
});
