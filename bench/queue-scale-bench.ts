import { statusBlocks } from '../bot/render/status-blocks.js';
import type { StatusData } from '../ops/index.js';
import { listQueuesJson4 } from '../test/helpers/fake-queues.js';
import { scaleCluster, type ScaleCluster } from '../test/helpers/queue-scale-cluster.js';

/**
 * `status`, `check` and one watcher poll over 2,000 and 10,000 queues, in-process with a fake
 * docker (no Docker; test/helpers/queue-scale-cluster.ts): the CPU time of this process for
 * everything after rabbitmqctl answered (parsing, the summary, findings, the text and the Slack
 * blocks, the alert book). The baseline, measured in the same run, is JSON.parse of the same
 * 4.x list_queues output: the least any reader of it does. Nothing here asserts a time.
 */
const SIZES = [2_000, 10_000];
const RUNS = 7;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median CPU ms of `runs` calls after one warm-up. */
async function medianCpu(runs: number, call: () => unknown): Promise<number> {
  await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpuMs();
    await call();
    times.push(cpuMs() - c0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function benchQueueScaleLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const count of SIZES) {
    const text = listQueuesJson4(count);
    const baseline = await medianCpu(RUNS, () => JSON.parse(text));
    lines.push(`${count} queues: JSON.parse of 4.x list_queues (baseline)     CPU ${baseline.toFixed(1).padStart(7)} ms = 1.00x`);
    const row = (label: string, ms: number) => `${count} queues: ${label.padEnd(44)} CPU ${ms.toFixed(1).padStart(7)} ms = ${(ms / baseline).toFixed(2)}x`;
    for (const major of [4, 3] as const) {
      const c: ScaleCluster = await scaleCluster(major, count);
      try {
        const status = await medianCpu(RUNS, () => c.run('status'));
        lines.push(row(`status, ${major}.x (rabbitmqctl, text)`, status));
        const data = (await c.run('status')).data as StatusData;
        lines.push(row(`status, ${major}.x: the Slack blocks alone`, await medianCpu(RUNS, () => JSON.stringify(statusBlocks(data)))));
        lines.push(row(`check, ${major}.x (rabbitmqctl, text)`, await medianCpu(RUNS, () => c.run('check'))));
        const { watcher } = c.watcher();
        // the first poll opens the alert (renders and posts it); the next ones find the same and post nothing
        const first = cpuMs();
        await watcher.pollNow('scale');
        lines.push(row(`watcher, ${major}.x: first poll (alert posted)`, cpuMs() - first));
        lines.push(row(`watcher, ${major}.x: a later poll (nothing new)`, await medianCpu(RUNS, () => watcher.pollNow('scale'))));
        await watcher.stop();
      } finally {
        await c.remove();
      }
    }
  }
  return lines;
}

// `node dist-bench/bench/queue-scale-bench.js` runs this bench alone
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchQueueScaleLines()) process.stdout.write(`${line}\n`);
}
