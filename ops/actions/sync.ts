import { expectPositionals, readArgv } from '../args/argv.js';
import { queueNameArg } from '../args/validators.js';
import { RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { firstRunningNode } from '../rabbit/first-running-node.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { step } from '../steps/step.js';

/** sync_queue: make a classic mirrored queue's unsynchronised mirrors catch up (3.x only). */
export interface SyncData {
  queue: string;
  via: string;
}

export const syncAction = defineAction<{ queue: string }, SyncData>(CATALOG['sync'], {
  parse(argv, manifest) {
    if (manifest.rabbitmq.major >= 4) {
      throw new RefusedError(
        `sync_queue is for classic mirrored queues, which RabbitMQ 4.0 removed (this cluster runs ${manifest.rabbitmq.version}); quorum queue members catch up on their own`,
      );
    }
    const [queue] = expectPositionals(readArgv(argv, {}, CATALOG.sync.usage), 1, 1, CATALOG.sync.usage);
    return { queue: queueNameArg(queue) };
  },
  async run(ctx, { queue }) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const node = await firstRunningNode(s);
    await step(ctx, 'sync', `sync_queue ${queue}`, () => s.ctl.syncQueue(node, queue));
    return { ok: true, headline: `queue ${queue} synchronised`, text: `sync_queue -p / ${queue} (via ${node.name}): done`, data: { queue, via: node.name } };
  },
});
