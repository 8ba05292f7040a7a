import { CATALOG } from '../catalog.js';
import { parseNoArguments } from '../args/argument-shapes.js';
import { clusterServices } from '../ops-tools.js';
import { certificateLine } from '../status/certificate-lines.js';
import { gatherStatus } from '../status/gather-status.js';
import { queueStatusLines } from '../status/queue-lines.js';
import type { StatusData } from '../status/status-view.js';
import { step } from '../steps/step.js';
import { defineAction } from '../action.js';

/**
 * Every node (running or down, type, version, alarms, maintenance), partitions, queue replication
 * and the load balancer. Reads through the management API when it answers, else rabbitmqctl, and
 * says which in `source`. Down containers are reported, never an error.
 */
export const statusAction = defineAction<Record<string, never>, StatusData>(CATALOG['status'], {
  parse: (argv) => parseNoArguments(argv, 'status'),
  async run(ctx) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    // said in status (not in gatherStatus, which the watcher polls): which Compose, and why
    await step(
      ctx,
      'compose',
      'Docker Compose',
      () => s.compose.describeCompose(),
      (d) => d,
    );
    const data = await gatherStatus(ctx, s, { withFlow: true });
    const up = data.nodes.filter((n) => n.running).length;
    return {
      ok: true,
      headline: `${data.cluster}: ${up}/${data.nodes.length} nodes running${data.partitions.length ? ', PARTITIONED' : ''}${data.healthy ? '' : ' (needs attention)'}`,
      text: statusText(data),
      data,
    };
  },
});

function statusText(d: StatusData): string {
  const lines = d.nodes.map((n) => {
    const parts = [
      n.running ? 'running' : `DOWN (container ${n.container})`,
      n.type,
      n.version,
      n.maintenance ? 'maintenance' : '',
      n.alarms.length ? `alarms: ${n.alarms.join(', ')}` : '',
      n.running && !n.clustered ? 'not clustered' : '',
    ];
    return `${n.name}: ${parts.filter(Boolean).join(', ')}`;
  });
  for (const u of d.unreachableHosts ?? []) lines.push(`host ${u.host} UNREACHABLE: ${u.reason}`);
  lines.push(d.partitions.length ? `partitions: ${d.partitions.join('; ')}` : 'no partitions');
  if (d.queues) lines.push(...queueStatusLines(d.queues));
  for (const l of d.loadBalancer?.listeners ?? [])
    lines.push(`LB ${l.instance} ${l.protocol} ${l.address}:${l.port} ${l.reachable ? 'reachable' : 'UNREACHABLE'}`);
  if (d.loadBalancer?.vipHolder !== undefined) lines.push(d.loadBalancer.vipHolder ? `VIP held by ${d.loadBalancer.vipHolder}` : 'no LB holds the VIP');
  for (const c of d.certificates ?? []) lines.push(certificateLine(c));
  lines.push(`source: ${d.source}`);
  return lines.join('\n');
}
