import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionResult, ProgressStep } from '../../../ops/action.js';
import type { OpsTools } from '../../../ops/ops-tools.js';
import { runAction } from '../../../ops/run-action.js';
import type { E2eHarness } from '../harness/e2e-env.js';
import { openGeneratedCluster, type GeneratedCluster } from '../harness/generated-cluster.js';

/**
 * A generated cluster the operations core can drive: the manifest's compose project is rewritten
 * to the harness's (so ops and the harness agree, and the leftover sweep finds it), and the
 * private engine's DOCKER_HOST / DOCKER_CONFIG go on process.env, which the ops runner inherits.
 */
export interface OpsCluster {
  cluster: GeneratedCluster;
  dir: string;
  /** The result with every progress event, each stamped with when it came (ms since the run started). */
  run(
    name: string,
    argv?: string[],
    tools?: Partial<OpsTools>,
    extra?: { signal?: AbortSignal; onProgress?: (s: ProgressStep) => void },
  ): Promise<ActionResult & { steps: Array<ProgressStep & { atMs: number }> }>;
  close(): Promise<void>;
}

export const QUICK_WAITS: OpsTools['waits'] = { pollMs: 1_000, healthyMs: 300_000, clusteredMs: 240_000 };

/** `files`: written beside the spec (see openGeneratedCluster). */
export async function openOpsCluster(h: E2eHarness, label: string, spec: object, files: Record<string, string> = {}): Promise<OpsCluster> {
  const saved = new Map(Object.keys(h.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, h.env);
  const cluster = await openGeneratedCluster(label, spec, h.env, h.runner, files);
  const dir = cluster.clusterDir;
  return {
    cluster,
    dir,
    async run(name, argv = [], tools = {}, extra = {}) {
      const steps: Array<ProgressStep & { atMs: number }> = [];
      const t0 = Date.now();
      const progress = (s: ProgressStep) => (steps.push({ ...s, atMs: Date.now() - t0 }), extra.onProgress?.(s));
      const result = await runAction(name, argv, {
        dir,
        actor: { via: 'cli', id: 'e2e' },
        progress,
        tools: { waits: QUICK_WAITS, ...tools },
        ...(extra.signal ? { signal: extra.signal } : {}),
      });
      return { ...result, steps };
    },
    async close() {
      try {
        await cluster.down();
      } finally {
        for (const [k, v] of saved)
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
      }
    },
  };
}

/** ctl output as the tests and fixtures want it: exit code checked, stdout only. */
export async function ctl(c: GeneratedCluster, node: string, args: string[], timeoutMs = 90_000): Promise<string> {
  const r = await c.exec(node, args, timeoutMs);
  if (r.exitCode !== 0) throw new Error(`${args.join(' ')} on ${node} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Real outputs for test/fixtures/rabbitmqctl/ when RMQ_CAPTURE_FIXTURES names a folder. */
export async function capture(name: string, text: string): Promise<void> {
  const dir = process.env.RMQ_CAPTURE_FIXTURES;
  if (dir) await writeFile(join(dir, name), text.endsWith('\n') ? text : `${text}\n`);
}

/** How long each step took (running → done or failed), for the figures: `<id>Ms`. */
export function stepDurations(steps: ReadonlyArray<ProgressStep & { atMs: number }>, prefix = ''): Record<string, number> {
  const started = new Map<string, number>();
  const out: Record<string, number> = {};
  for (const s of steps) {
    // a long step repeats 'running' with news on its line: it started at the first
    if (s.state === 'running' && !started.has(s.id)) started.set(s.id, s.atMs);
    else if (started.has(s.id)) out[`${prefix}${s.id}Ms`] = s.atMs - started.get(s.id)!;
  }
  return out;
}
