import { z } from 'zod';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { DeadlineError } from '../errors.js';
import { extractJson } from '../rabbit/json-output.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import type { ClusterServices } from '../ops-tools.js';

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

/**
 * Until every queue is empty on the cluster `s` reaches (its shovels have moved everything).
 * Watched through the management API when it answers: `list_queues` asks every queue process and
 * timed out for minutes on 3.10 while shovels drained busy mirrored queues (seen in e2e: 5 polls
 * of 60 s). The API's figures lag (the stats interval) and may be missing, so "empty" is only
 * believed from `list_queues` itself: asked once the API has shown empty twice, 6 s apart. Green's
 * data is removed on the strength of this answer, so it must be exact.
 */
export async function waitEmpty(
  s: ClusterServices,
  node: Node,
  queues: readonly QueueRef[],
  o: { timeoutMs: number; pollMs: number; signal?: AbortSignal; onPoll?: (left: string) => void },
): Promise<void> {
  const { sleep, now } = s.tools;
  const deadline = now() + o.timeoutMs;
  let emptySince: number | undefined;
  let left: string;
  for (;;) {
    try {
      const api = await apiDepths(s, queues);
      // an API without figures for some queue (not come yet, or switched off) is no help this time
      const watched = api && [...api.values()].every((v) => v !== undefined) ? api : undefined;
      const depths: Map<string, number | undefined> = watched ?? (await queueDepths(s.compose, node, queues));
      const waiting = queues.filter((q) => depths.get(key(q)) !== 0);
      if (waiting.length > 0) {
        emptySince = undefined;
        left = waiting.map((q) => `${label(q)}: ${depths.get(key(q)) ?? 'not known yet'}`).join(', ');
      } else if (watched && now() - (emptySince ??= now()) < STATS_LAG_MS) {
        left = 'empty, confirming (the statistics lag)';
      } else {
        // the exact answer (what the API said, or rabbitmqctl itself when it said it)
        const exact = watched ? await queueDepths(s.compose, node, queues) : depths;
        const still = queues.filter((q) => (exact.get(key(q)) ?? 0) > 0);
        if (still.length === 0) return;
        emptySince = undefined;
        left = still.map((q) => `${label(q)}: ${exact.get(key(q))}`).join(', ');
      }
    } catch (error) {
      // a node busy or restarting: asked again at the next poll, and said if it lasts
      left = `the queues could not be listed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    }
    o.onPoll?.(left);
    if (now() >= deadline) throw new DeadlineError(`messages still waiting to move after ${Math.round(o.timeoutMs / 1000)} s: ${left}; run the same command again to keep waiting`);
    await sleep(o.pollMs, o.signal);
  }
}

const STATS_LAG_MS = 6_000;

/** The API's (lagging) figures per queue, a queue it does not list counting 0; undefined when the API does not answer. */
async function apiDepths(s: ClusterServices, queues: readonly QueueRef[]): Promise<Map<string, number | undefined> | undefined> {
  const api = await s.api.connect();
  if (!('base' in api)) return undefined;
  const depths = new Map<string, number | undefined>();
  for (const vhost of [...new Set(queues.map((q) => q.vhost))]) {
    const byName = await s.api.queueDepths(api.base, vhost);
    for (const q of queues.filter((x) => x.vhost === vhost)) depths.set(key(q), byName.has(q.name) ? byName.get(q.name) : 0);
  }
  return depths;
}
