import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import type { ClusterServices } from '../ops-tools.js';
import { END_OF_OPTIONS, vhostOption } from '../rabbit/rabbitmqctl.js';
import { CommandFailedError } from '../runner/command-failed-error.js';

type Node = ClusterManifest['nodes'][number];

/** A shovel by the vhost its parameter lives in and its name. */
export interface ShovelRef {
  vhost: string;
  name: string;
}

/** Requests in flight at once: the API answers each in milliseconds; more only queues on the node. */
const API_CONCURRENCY = 8;

/**
 * Removes shovels (their runtime parameters), one already gone being fine. Through the
 * management API when it answers: a `rabbitmqctl clear_parameter` boots a CLI node per shovel
 * (about a second each, and CPU the busy node needs), so 300 shovels took minutes to tear down;
 * the API removes them in a few seconds. `rabbitmqctl` otherwise, and for any the API refused.
 */
export async function clearShovels(s: ClusterServices, shovels: readonly ShovelRef[]): Promise<{ via: 'api' | 'rabbitmqctl'; cleared: number }> {
  const api = shovels.length > 0 ? await s.api.connect() : undefined;
  let left = [...shovels];
  if (api && 'base' in api) {
    const refused: ShovelRef[] = [];
    const queue = [...shovels];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        await s.api.deleteParameter(api.base, 'shovel', next.vhost, next.name).catch(() => refused.push(next));
      }
    };
    await Promise.all(Array.from({ length: Math.min(API_CONCURRENCY, shovels.length) }, worker));
    left = refused;
    if (left.length === 0) return { via: 'api', cleared: shovels.length };
  }
  await clearShovelsWithCtl(s.compose, s.cluster.manifest.nodes[0]!, left);
  return { via: left.length === shovels.length ? 'rabbitmqctl' : 'api', cleared: shovels.length };
}

/** `rabbitmqctl clear_parameter shovel` for each, on `node`; one already gone is fine. */
export async function clearShovelsWithCtl(compose: ComposeClient, node: Node, shovels: readonly ShovelRef[]): Promise<void> {
  for (const shovel of shovels) {
    const r = await compose.exec(node.service, ['rabbitmqctl', 'clear_parameter', vhostOption(shovel.vhost), END_OF_OPTIONS, 'shovel', shovel.name], 60_000);
    if ((r.exitCode !== 0 || r.timedOut) && !/not.?found|no_such|does not exist/i.test(`${r.stdout}${r.stderr}`))
      throw new CommandFailedError(r, `clear_parameter shovel ${shovel.name} (${node.name})`);
  }
}
