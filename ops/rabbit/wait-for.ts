import type { ClusterManifest } from '../../contract/manifest.js';
import type { ClusterServices } from '../ops-tools.js';
import { DockerUnavailableError } from '../errors.js';
import { pollUntil } from '../timing.js';
import { containerOf } from './observe-cluster.js';

type Node = ClusterManifest['nodes'][number];

/** Until every listed node's container is running and its healthcheck says healthy. */
export async function waitHealthy(s: ClusterServices, nodes: readonly Node[], signal?: AbortSignal): Promise<void> {
  let waiting: string[] = nodes.map((n) => n.name);
  let lastError = '';
  await pollUntil(
    async () => {
      // one engine not answering once (an ssh handshake lost on a busy machine) is not the end of
      // the wait: the deadline says what was last seen
      const containers = await s.compose.ps().catch((error: unknown) => {
        if (!(error instanceof DockerUnavailableError)) throw error;
        lastError = error.message;
        return undefined;
      });
      if (!containers) return undefined;
      lastError = '';
      waiting = nodes
        .filter((n) => {
          const c = containerOf(containers, n);
          return !c || c.state !== 'running' || (c.health !== '' && c.health !== 'healthy');
        })
        .map((n) => n.name);
      return waiting.length === 0 ? true : undefined;
    },
    {
      ...pollWith(s, s.tools.waits.healthyMs, signal),
      describe: () => `healthy containers (still waiting for ${waiting.join(', ')})${lastError ? `; last: ${lastError}` : ''}`,
    },
  );
}

/** Until `via` reports every node in `expected` among its running nodes. */
export async function waitClustered(s: ClusterServices, via: Node, expected: readonly Node[], signal?: AbortSignal): Promise<void> {
  let missing: string[] = expected.map((n) => n.name);
  await pollUntil(
    async () => {
      const status = await s.ctl.clusterStatus(via).catch(() => undefined);
      missing = expected.filter((n) => !status?.runningNodes.includes(n.erlangNode)).map((n) => n.name);
      return missing.length === 0 ? true : undefined;
    },
    { ...pollWith(s, s.tools.waits.clusteredMs, signal), describe: () => `${missing.join(', ')} to be running in the cluster of ${via.name}` },
  );
}

function pollWith(s: ClusterServices, timeoutMs: number, signal: AbortSignal | undefined) {
  return { timeoutMs, intervalMs: s.tools.waits.pollMs, sleep: s.tools.sleep, now: s.tools.now, ...(signal ? { signal } : {}) };
}
