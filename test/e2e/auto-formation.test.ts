import { afterAll, describe, expect, it } from '@jest/globals';
import { reportFigures, waitClustered } from './harness/cluster-probes.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { scenarioSpec } from './harness/scenario-spec.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * Issue 3, scenario 2: `formation: auto` (classic_config peer discovery written by the generator)
 * clusters 3, 5 and 7 nodes on RabbitMQ 3.x and 4.x with no manual step. One cluster at a time,
 * each torn down before the next (2 cores). No load balancer: formation is what is measured.
 */
const harness = useE2eHarness();

/** The node's memory alarm threshold and the total memory it sees, in bytes. */
async function memoryAlarm(cluster: GeneratedCluster, node: string): Promise<{ limit: number; total: number }> {
  const evaluate = async (expression: string) => {
    const result = await cluster.exec(node, ['rabbitmqctl', 'eval', expression], 60_000);
    expect(result.exitCode).toBe(0);
    return Number(result.stdout.trim());
  };
  return { limit: await evaluate('vm_memory_monitor:get_memory_limit().'), total: await evaluate('vm_memory_monitor:get_total_memory().') };
}
const figures: Record<string, number> = {};
let current: GeneratedCluster | undefined;

describe('auto formation', () => {
  // inside a describe: its afterAll runs before the harness's, which stops the engine
  afterAll(async () => {
    await current?.down();
    reportFigures('auto-formation', figures);
  }, 300_000);

  describe.each([
    ['v3', '3.10.8', 21],
    ['v4', '4.0.5', 24],
    ['v43', '4.3.6', 27],
  ] as const)('auto formation on RabbitMQ %s', (image, version, subnetBase) => {
    it.each([3, 5, 7])(
      `clusters %i nodes by itself`,
      async (size) => {
        const h = harness();
        const spec = scenarioSpec({
          name: `e2e-auto-${image}-${size}`,
          image: h.images[image].ref,
          version,
          nodes: size,
          // one subnet per cluster: a network still being removed cannot clash with the next
          subnet: subnetBase + [3, 5, 7].indexOf(size),
          portBase: 22000 + { v3: 0, v4: 100, v43: 200 }[image],
          // the 3-node clusters carry a memory limit; the others split the machine
          ...(size === 3 ? { memory: '1g' } : {}),
        });
        current = await openGeneratedCluster(`auto-${image}-${size}`, spec, h.env, h.runner);
        try {
          const started = Date.now();
          await current.up();
          const names = current.model.nodes.map((n) => n.name);
          const status = await waitClustered(current, 'rabbit1', names, 480_000);
          figures[`${image}.${size}nodes.ms`] = Date.now() - started;
          expect([...status.running_nodes].sort()).toEqual(names.map((n) => `rabbit@${n}`).sort());
          // every node sees the same cluster, not only the one asked
          const last = await waitClustered(current, names.at(-1)!, names, 60_000);
          expect(last.running_nodes).toHaveLength(size);
          // the memory alarm each node runs with is the one its conf.d file sets (read after rabbitmq.conf)
          const { limit, total } = await memoryAlarm(current, names.at(-1)!);
          if (size === 3) expect(limit).toBe(Math.floor(1024 ** 3 * 0.6));
          else expect(Math.abs(limit / total - Math.round((0.6 / size) * 1000) / 1000)).toBeLessThan(0.001);
        } finally {
          await current.down();
          current = undefined;
        }
      },
      900_000,
    );
  });
});
