import { rm } from 'node:fs/promises';
import type { RenderedMessage } from '../../bot/render/result-blocks.js';
import { Watcher } from '../../bot/watch/watcher.js';
import { WatchConfig } from '../../bot/watch/watch-config-schema.js';
import { SlackPacer } from '../../bot/watch/slack-pacer.js';
import { LogLevel, type Logger } from '@slack/bolt';
import { OpsCore, runAction, type ActionResult } from '../../ops/index.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../support/memory-ops.js';
import { clusterDir, clusterStatusJson, COMPOSE_V2, fakeTools, PS, THREE_UP, ScriptedRunner } from '../unit/ops/fake-runner.js';
import { listQueuesJson4, listQueuesTable3 } from './fake-queues.js';

/**
 * A 3-node cluster folder whose fake docker answers `list_queues` with `count` queues (4.x: quorum
 * and classic, JSON; 3.x: mirrored, the tab table), every node running: what status, check and
 * the watcher's poll read at scale, with no Docker. The management API is not published, so the
 * facts come through rabbitmqctl, the path whose parsing is ours.
 */
export interface ScaleCluster {
  dir: string;
  major: 3 | 4;
  count: number;
  /** `status` or `check` through the whole request path (parse, authorize, lock, audit, run). */
  run(action: 'status' | 'check'): Promise<ActionResult>;
  /** The bot's watcher over this cluster (alerts raised at the first bad poll), and what it posted. */
  watcher(): { watcher: Watcher; posted: RenderedMessage[] };
  remove(): Promise<void>;
}

export async function scaleCluster(major: 3 | 4, count: number): Promise<ScaleCluster> {
  const manifest = fakeManifest('scale');
  if (major === 4) manifest.rabbitmq = { ...manifest.rabbitmq, image: 'rabbitmq:4.1-management', version: '4.1', major: 4, minor: 1, mirroring: false };
  const dir = await clusterDir(manifest);
  const version = major === 4 ? '4.1.4' : '3.13.7';
  const erl = ['rabbit@rabbit1', 'rabbit@rabbit2', 'rabbit@rabbit3'];
  // rendered once: the fake answers the same bytes every time, as a quiet cluster would
  const queues = major === 4 ? listQueuesJson4(count) : listQueuesTable3(count);
  const runner = () =>
    new ScriptedRunner([
      COMPOSE_V2,
      [PS, THREE_UP],
      [/^exec -T rabbit1 rabbitmqctl -q cluster_status /, clusterStatusJson({ disc: erl, running: erl, version })],
      [/^exec -T rabbit1 rabbitmqctl -q list_queues /, { stdout: queues }],
      // the per-node questions (quorum-critical, deprecated features): nothing to say
      [/^exec -T rabbit\d rabbitmq-(upgrade|diagnostics|queues) /, { stdout: '' }],
    ]);
  return {
    dir,
    major,
    count,
    run: (action) =>
      runAction(action, [], { dir, actor: { via: 'cli', id: 'scale' }, audit: new MemoryAudit(), lock: new MemoryLock(), tools: fakeTools(runner()) }),
    watcher: () => {
      const core = new OpsCore({ tools: fakeTools(runner()), audit: { sink: new MemoryAudit() } });
      const posted: RenderedMessage[] = [];
      // what Slack is sent is serialised, as the Web API client would: that cost is the poll's too
      const out = {
        post: async (_channel: string, msg: RenderedMessage) => (JSON.stringify(msg), posted.push(msg), `${posted.length}.000`),
        update: async (_channel: string, _ts: string, msg: RenderedMessage) => void (JSON.stringify(msg), posted.push(msg)),
        upload: async () => undefined,
      };
      const watch = WatchConfig.parse({ clusters: { scale: { channel: 'CSCALE01', raiseAfter: 1, chart: false } } });
      const watcher = new Watcher({
        clusters: { scale: dir },
        watch,
        observe: (d, o) => core.observe(d, o),
        out,
        command: '/rmq',
        logger: QUIET,
        // no pacing: the posts go nowhere, and a gap would only add wall-clock time
        pacer: new SlackPacer(0, async () => undefined),
      });
      return { watcher, posted };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

const QUIET: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
