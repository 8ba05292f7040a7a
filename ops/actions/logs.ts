import type { ClusterManifest } from '../../contract/manifest.js';
import { expectPositionals, readArgv } from '../args/argv.js';
import { intArg, nodeArg } from '../args/validators.js';
import { clusterServices } from '../ops-tools.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';

type Node = ClusterManifest['nodes'][number];
const USAGE = CATALOG.logs.usage;

/** The last N lines (1..10000, default 100) of a node's container log. */
export interface LogsData {
  node: string;
  lines: number;
  log: string;
}

export const logsAction = defineAction<{ node: Node; tail: number }, LogsData>(CATALOG['logs'], {
  parse(argv, manifest) {
    const p = readArgv(argv, { tail: 'value' }, USAGE);
    const [name] = expectPositionals(p, 1, 1, USAGE);
    const tail = p.flags.has('tail') ? intArg(p.flags.get('tail') as string, '--tail', 1, 10_000) : 100;
    return { node: nodeArg(name, manifest), tail };
  },
  async run(ctx, { node, tail }) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const log = await s.compose.logs(node.service, tail);
    const lines = log === '' ? 0 : log.split('\n').length;
    return { ok: true, headline: `${node.name}: last ${lines} log line(s)`, text: log, data: { node: node.name, lines, log } };
  },
});
