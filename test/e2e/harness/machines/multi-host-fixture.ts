import type { E2eHarness } from '../e2e-env.js';
import { startMachines, THREE_BROKERS_TWO_LBS, type MachineSet } from './machine-set.js';
import { multiHostSpec, openMultiHostCluster, type MultiHostCluster, type MultiHostOptions } from './multi-host-cluster.js';

/** The RabbitMQ line of the harness's images a multi-host test runs. */
type Line = 'v3' | 'v4' | 'v43';
const FALLBACK_VERSION: Record<Line, string> = { v3: '3.10.8', v4: '4.0.5', v43: '4.3.6' };

export interface MultiHostFixture {
  set: MachineSet;
  cluster: MultiHostCluster;
  /** The cluster closed, then every machine down; safe to call after a failed start. */
  close(): Promise<void>;
}

/**
 * The set-up every multi-host e2e file shares: the seed's production layout (three broker
 * machines, two load-balancer machines, THREE_BROKERS_TWO_LBS) booted with one image line, the
 * docker contexts named, the spec a user would write (`edit` adds what the file is about: TLS
 * listeners…), generated and opened. The machines are destroyed when anything here fails.
 */
export async function startMultiHostCluster(
  h: E2eHarness,
  o: Omit<MultiHostOptions, 'image' | 'version'> & { line: Line; edit?: (spec: Record<string, unknown>) => void },
  figures: Record<string, unknown>,
): Promise<MultiHostFixture> {
  const image = h.images[o.line];
  const set = await startMachines(h, THREE_BROKERS_TWO_LBS, [image.ref]);
  try {
    figures.machinesBootMs = set.timings.bootMs;
    figures.imagesLoadMs = set.timings.imagesMs;
    for (const [machine, context] of Object.entries(o.contexts ?? {})) await set.addContext(context, set.get(machine));
    const spec = multiHostSpec({ ...o, image: image.ref, version: image.rabbitmqVersion ?? FALLBACK_VERSION[o.line] }, set);
    o.edit?.(spec);
    const cluster = await openMultiHostCluster(h, set, spec);
    return {
      set,
      cluster,
      async close() {
        try {
          await cluster.close();
        } finally {
          await set.destroy();
        }
      },
    };
  } catch (error) {
    await set.destroy();
    throw error;
  }
}
