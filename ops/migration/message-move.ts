import { z } from 'zod';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { DeadlineError } from '../errors.js';
import { extractJson } from '../rabbit/json-output.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import type { Sleep } from '../timing.js';

type Node = ClusterManifest['nodes'][number];
export interface QueueRef {
  vhost: string;
  name: string;
}

/** `clear_parameter shovel` for each; one already gone is fine. */
export async function clearShovels(compose: ComposeClient, node: Node, shovels: ReadonlyArray<{ vhost: string; name: string }>): Promise<void> {
  for (const s of shovels) {
    const r = await compose.exec(node.service, ['rabbitmqctl', 'clear_parameter', '-p', s.vhost, 'shovel', s.name], 60_000);
    if ((r.exitCode !== 0 || r.timedOut) && !/not.?found|no_such|does not exist/i.test(`${r.stdout}${r.stderr}`)) throw new CommandFailedError(r, `clear_parameter shovel ${s.name} (${node.name})`);
  }
}

const QueueDepths = z.array(z.looseObject({ name: z.string(), messages: z.number().nullable().optional() }));

/** Messages in each queue (ready + unacknowledged), asked per vhost; a queue that is not there counts 0. */
export async function queueDepths(compose: ComposeClient, node: Node, queues: readonly QueueRef[]): Promise<Map<string, number>> {
  const depths = new Map<string, number>();
  for (const vhost of [...new Set(queues.map((q) => q.vhost))]) {
    const r = await compose.exec(node.service, ['rabbitmqctl', '-q', 'list_queues', '-p', vhost, 'name', 'messages', '--formatter', 'json'], 60_000);
    if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `list_queues -p ${vhost} (${node.name})`);
    const rows = QueueDepths.parse(extractJson(r.stdout || '[]'));
    for (const q of queues.filter((x) => x.vhost === vhost)) depths.set(key(q), rows.find((row) => row.name === q.name)?.messages ?? 0);
  }
  return depths;
}

export const key = (q: QueueRef) => `${q.vhost}\u0000${q.name}`;
export const label = (q: QueueRef) => (q.vhost === '/' ? q.name : `${q.name} (vhost ${q.vhost})`);

/** Until every queue is empty on the cluster `compose` reaches (its shovels have moved everything). */
export async function waitEmpty(
  compose: ComposeClient,
  node: Node,
  queues: readonly QueueRef[],
  o: { timeoutMs: number; pollMs: number; sleep: Sleep; now: () => number; signal?: AbortSignal; onPoll?: (left: string) => void },
): Promise<void> {
  const deadline = o.now() + o.timeoutMs;
  let left: string;
  for (;;) {
    try {
      const depths = await queueDepths(compose, node, queues);
      const waiting = queues.filter((q) => (depths.get(key(q)) ?? 0) > 0);
      if (waiting.length === 0) return;
      left = waiting.map((q) => `${label(q)}: ${depths.get(key(q))}`).join(', ');
    } catch (error) {
      // a node busy or restarting: asked again at the next poll, and said if it lasts
      left = `the queues could not be listed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    }
    o.onPoll?.(left);
    if (o.now() >= deadline) throw new DeadlineError(`messages still waiting to move after ${Math.round(o.timeoutMs / 1000)} s: ${left}; run the same command again to keep waiting`);
    await o.sleep(o.pollMs, o.signal);
  }
}
