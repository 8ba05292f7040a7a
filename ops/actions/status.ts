import { clusterServices, type ClusterServices } from '../ops-tools.js';
import { askClusterStatus, nodesWithRunningContainer, type ClusterObservation } from '../rabbit/observe-cluster.js';
import { step } from './step.js';
import { checkLoadBalancer } from '../status/load-balancer-check.js';
import { certificateLine } from '../status/certificate-lines.js';
import { certificateFindings } from '../health/certificate-findings.js';
import { gatherCertificates } from '../tls/gather-certificates.js';
import { nodesFromApi } from '../status/nodes-from-api.js';
import { nodesFromCtl } from '../status/nodes-from-ctl.js';
import type { StatusData } from '../status/status-view.js';
import type { FlowHistory } from '../watch/metric-sample.js';
import type { ContainerState } from '../compose/parse-ps.js';
import { CATALOG } from '../catalog.js';
import { defineAction, type ActionContext } from './action.js';
import { parseNoArguments } from './argument-shapes.js';

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

/**
 * The facts of `status` (and of `check`, which judges them): containers, nodes and queues from
 * the management API or rabbitmqctl, the load balancer probed meanwhile. `withFlow`: also the
 * last hour of message rates (status's chart; check and the watcher's polls do without).
 */
export async function gatherStatus(ctx: ActionContext, s: ClusterServices, options: { withFlow?: boolean } = {}): Promise<StatusData> {
  const { manifest } = ctx.cluster;
  const containers = await step(ctx, 'containers', 'docker ps', () => s.compose.psReachable());
  const containerUp = nodesWithRunningContainer(containers, manifest.nodes);
  // the load balancer check needs only the containers: run it while the nodes are asked
  const lbCheck = checkLoadBalancer(s, containers);
  lbCheck.catch(() => undefined);
  // with `tls`: every served certificate read meanwhile too (a handshake each, 3 s at most)
  const certCheck = manifest.tls ? gatherCertificates(ctx.cluster, s.tools, ctx.signal) : undefined;
  certCheck?.catch(() => undefined);
  // the management API first: one HTTP call instead of a docker exec per question
  const api = containerUp.size > 0 ? await s.api.connect() : { unavailable: 'no node container is running' };
  let o: ClusterObservation;
  let facts: Pick<StatusData, 'nodes' | 'partitions' | 'queues' | 'version'>;
  let source: string;
  let flow: FlowHistory | undefined;
  if ('base' in api) {
    o = { containers, containerUp, status: undefined, asked: undefined, silent: new Map() };
    // the hour of samples is asked meanwhile; a chart is a nicety, never a reason to fail
    const history = options.withFlow ? s.api.flowHistory(api.base).catch(() => undefined) : undefined;
    facts = await step(ctx, 'nodes', 'nodes and queues (management API)', () => nodesFromApi(s, o, api.base, api.version));
    flow = await history;
    source = `management API ${api.base}`;
  } else {
    o = await askClusterStatus(s, containers);
    facts = await step(ctx, 'nodes', 'nodes and queues (rabbitmqctl)', () => nodesFromCtl(s, o));
    source = o.asked
      ? `rabbitmqctl on ${o.asked.name} (management API not used: ${api.unavailable})`
      : `docker compose ps only: no node answered${o.silent.size ? ` (${[...o.silent].map(([n, why]) => `${n}: ${why}`).join('; ')})` : ''}`;
  }
  const loadBalancer = await lbCheck;
  const certificates = certCheck ? await step(ctx, 'certificates', 'served certificates (TLS)', () => certCheck) : undefined;
  const up = facts.nodes.filter((n) => n.running).length;
  const unreachableHosts = unreachableOf(containers);
  const certificatesFine = !certificates || certificateFindings({ nodes: facts.nodes, certificates }).length === 0;
  const healthy =
    unreachableHosts.length === 0 &&
    up === facts.nodes.length &&
    facts.partitions.length === 0 &&
    facts.nodes.every((n) => n.alarms.length === 0) &&
    (facts.queues?.unhealthy.length ?? 0) === 0 &&
    certificatesFine;
  return {
    cluster: manifest.name,
    ...facts,
    ...(loadBalancer ? { loadBalancer } : {}),
    ...(unreachableHosts.length ? { unreachableHosts } : {}),
    ...(flow && flow.to > 0 ? { flow } : {}),
    ...(certificates ? { certificates } : {}),
    source,
    healthy,
  };
}

/** One entry per machine whose engine did not answer (ps lists each of its services). */
function unreachableOf(containers: readonly ContainerState[]): NonNullable<StatusData['unreachableHosts']> {
  const byHost = new Map<string, string>();
  for (const c of containers) if (c.unreachable && c.host) byHost.set(c.host, c.unreachable);
  return [...byHost].map(([host, reason]) => ({ host, reason }));
}

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
  if (d.queues)
    lines.push(
      d.queues.unhealthy.length
        ? `queues (${d.queues.kind}): ${d.queues.unhealthy.join('; ')}`
        : `queues (${d.queues.kind}): ${d.queues.total}, all replicas in sync`,
    );
  for (const l of d.loadBalancer?.listeners ?? [])
    lines.push(`LB ${l.instance} ${l.protocol} ${l.address}:${l.port} ${l.reachable ? 'reachable' : 'UNREACHABLE'}`);
  if (d.loadBalancer?.vipHolder !== undefined) lines.push(d.loadBalancer.vipHolder ? `VIP held by ${d.loadBalancer.vipHolder}` : 'no LB holds the VIP');
  for (const c of d.certificates ?? []) lines.push(certificateLine(c));
  lines.push(`source: ${d.source}`);
  return lines.join('\n');
}
