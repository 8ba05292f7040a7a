import type { ActionContext } from '../action.js';
import { certificateFindings } from '../health/certificate-findings.js';
import type { ContainerState } from '../compose/parse-ps.js';
import type { ClusterServices } from '../ops-tools.js';
import { askClusterStatus, nodesWithRunningContainer, type ClusterObservation } from '../rabbit/observe-cluster.js';
import { step } from '../steps/step.js';
import { gatherCertificates } from '../tls/gather-certificates.js';
import type { FlowHistory } from '../metrics/metric-sample.js';
import { checkLoadBalancer } from './load-balancer-check.js';
import { nodesFromApi } from './nodes-from-api.js';
import { nodesFromCtl } from './nodes-from-ctl.js';
import type { StatusData } from './status-view.js';

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
