import { clusterServices } from '../ops-tools.js';
import { observeCluster } from '../rabbit/observe-cluster.js';
import { partitionSides } from '../rabbit/partition-sides.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { parseNoArguments } from '../args/argument-shapes.js';

export interface PartitionsData {
  partitioned: boolean;
  /** Erlang node → peers it cannot reach, merged from every node that answered. */
  reports: Record<string, string[]>;
  keep: string[];
  restart: string[];
  unanswered: string[];
}

/** Detect a network partition and say the recovery: restart the minority side's nodes, named. */
export const partitionsAction = defineAction<Record<string, never>, PartitionsData>(CATALOG['partitions'], {
  parse: (argv) => parseNoArguments(argv, 'partitions'),
  async run(ctx) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const { manifest } = ctx.cluster;
    const o = await observeCluster(s);
    // each side only knows what it cannot reach: ask every node whose container runs
    const reports: Record<string, string[]> = {};
    const unanswered: string[] = [];
    const answered: string[] = [];
    // a machine that cannot be reached is not "no partition": its nodes could not be asked
    const unreachable = manifest.nodes.filter((n) => o.containers.some((c) => c.service === n.service && c.host === n.host && c.state === 'unreachable'));
    unanswered.push(...unreachable.map((n) => n.name));
    for (const node of manifest.nodes.filter((n) => o.containerUp.has(n.name))) {
      const st = node.name === o.asked?.name ? o.status : await s.ctl.clusterStatus(node).catch(() => undefined);
      if (!st) {
        unanswered.push(node.name);
        continue;
      }
      answered.push(node.erlangNode);
      for (const [n, peers] of Object.entries(st.partitions)) reports[n] = [...new Set([...(reports[n] ?? []), ...peers])];
    }
    const firstDisc = manifest.nodes.find((n) => n.type === 'disc')?.erlangNode;
    const sides = partitionSides(answered, reports, firstDisc);
    const byErlang = (e: string) => manifest.nodes.find((n) => n.erlangNode === e)?.name ?? e;
    const restart = sides.restart.flat().map(byErlang);
    const data: PartitionsData = { partitioned: restart.length > 0, reports, keep: sides.keep.map(byErlang), restart, unanswered };
    if (!data.partitioned) {
      const hosts = [...new Set(unreachable.map((n) => n.host))];
      const text = [
        `checked ${answered.length} node(s)${unanswered.length ? `; no answer from ${unanswered.join(', ')}` : ''}`,
        ...(hosts.length
          ? [`machine(s) ${hosts.join(', ')} cannot be reached from here: whether they are cut off or down, they may be on the other side of a partition`]
          : []),
      ].join('\n');
      return {
        ok: true,
        headline: `${manifest.name}: no network partition${hosts.length ? ` among the nodes that answered (${hosts.join(', ')} unreachable)` : ''}`,
        text,
        data,
      };
    }
    const text = [
      ...Object.entries(reports).map(([n, peers]) => `${n} cannot reach ${peers.join(', ')}`),
      `keep: ${data.keep.join(', ')}`,
      `recovery: restart the minority side, one node at a time: ${restart.map((n) => `rmq-compose restart ${n}`).join('; ')}`,
      'then check again with rmq-compose partitions (messages published only on the minority side during the split are lost)',
    ].join('\n');
    return { ok: false, headline: `${manifest.name} is PARTITIONED: restart ${restart.join(', ')}`, text, data };
  },
});
