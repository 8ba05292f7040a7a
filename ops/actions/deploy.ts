import { RefusedError } from '../errors.js';
import { clusterServices, type ClusterServices } from '../ops-tools.js';
import { waitClustered, waitHealthy } from '../rabbit/wait-for.js';
import { CATALOG } from '../catalog.js';
import { defineAction, type ActionContext } from '../action.js';
import { parseNoArguments } from '../args/argument-shapes.js';
import { skipped, step } from '../steps/step.js';
import { upEveryMachine } from '../steps/up-every-machine.js';

type Node = ActionContext['cluster']['manifest']['nodes'][number];

export interface DeployData {
  joined: string[];
  alreadyClustered: string[];
  policies: string[];
}

/**
 * Check that every host's engine answers, `up -d` on every host at once, wait for healthy
 * containers, form the cluster (auto: wait for peer discovery; manual: the seed's
 * stop_app/reset/join_cluster/start_app on each node not yet clustered, so a re-deploy never
 * resets a member), then apply the spec's policies.
 */
export const deployAction = defineAction<Record<string, never>, DeployData>(CATALOG['deploy'], {
  parse: (argv) => parseNoArguments(argv, 'deploy'),
  async run(ctx) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const { manifest } = ctx.cluster;
    const first = manifest.nodes.find((n) => n.type === 'disc') ?? manifest.nodes[0]!;
    // every engine first, so an unreachable machine stops deploy before any machine is changed
    refuseSharedLocalEngine(manifest.hosts);
    // which Compose runs, and why: v1 is refused here, before any machine, for files it cannot read
    await step(
      ctx,
      'compose',
      'choose Docker Compose',
      () => s.compose.composeInUse(),
      (c) => c.description,
    );
    await step(ctx, 'engines', `reach the Docker engine of ${manifest.hosts.length === 1 ? 'the machine' : `all ${manifest.hosts.length} machines`}`, () =>
      s.compose.checkEngines(),
    );
    await upEveryMachine(ctx, s);
    await step(ctx, 'healthy', 'wait for healthy nodes', () => waitHealthy(s, manifest.nodes, ctx.signal));

    const data: DeployData = { joined: [], alreadyClustered: [], policies: [] };
    if (manifest.rabbitmq.formation === 'manual') {
      // healthy is `rabbitmq-diagnostics ping`: the VM answers before the app has booted, and
      // cluster_status, stop_app and join_cluster need the app (exit 64 otherwise, seen on a loaded machine)
      const seconds = Math.max(30, Math.round(s.tools.waits.healthyMs / 1000));
      await step(ctx, 'started', 'wait until the RabbitMQ app runs on every node', () =>
        Promise.all(manifest.nodes.map((n) => s.ctl.awaitStartup(n, seconds))),
      );
      await joinManually(ctx, s, first, data);
    }
    await step(ctx, 'clustered', `wait until all ${manifest.nodes.length} nodes run in one cluster`, () => waitClustered(s, first, manifest.nodes, ctx.signal));

    for (const p of manifest.policies) {
      await step(ctx, `policy-${p.name}`, `set_policy ${p.name}`, () => s.ctl.setPolicy(first, p));
      data.policies.push(p.name);
    }
    if (manifest.policies.length === 0) skipped(ctx, 'policies', 'policies', 'the spec has none');
    const how =
      manifest.rabbitmq.formation === 'manual' ? `${data.joined.length} joined, ${data.alreadyClustered.length} already clustered` : 'formed by peer discovery';
    return {
      ok: true,
      headline: `${manifest.name} deployed: ${manifest.nodes.length} nodes clustered (${how}), ${data.policies.length} polic${data.policies.length === 1 ? 'y' : 'ies'} applied`,
      text: [
        `cluster: ${manifest.nodes.map((n) => n.erlangNode).join(', ')}`,
        data.policies.length ? `policies: ${data.policies.join(', ')}` : 'no policies',
      ].join('\n'),
      data,
    };
  },
});

async function joinManually(ctx: ActionContext, s: ClusterServices, first: Node, data: DeployData): Promise<void> {
  const status = await s.ctl.clusterStatus(first);
  for (const node of ctx.cluster.manifest.nodes) {
    if (node.name === first.name) continue;
    const member = status.discNodes.includes(node.erlangNode) || status.ramNodes.includes(node.erlangNode);
    if (member) {
      // resetting a member would throw away its data; a re-deploy leaves it alone
      skipped(ctx, `join-${node.name}`, `join ${node.name} to ${first.erlangNode}`, 'already a member');
      data.alreadyClustered.push(node.name);
      continue;
    }
    await step(ctx, `join-${node.name}`, `join ${node.name} to ${first.erlangNode}${node.type === 'ram' ? ' (ram)' : ''}`, async () => {
      await s.ctl.stopApp(node);
      await s.ctl.reset(node);
      await s.ctl.joinCluster(node, first, node.type === 'ram');
      await s.ctl.startApp(node);
    });
    data.joined.push(node.name);
  }
}

/**
 * Machines without `docker:` are all this machine's own engine: two of them would share one
 * Compose project there, and each `up --remove-orphans` would remove the other's containers.
 */
function refuseSharedLocalEngine(hosts: ActionContext['cluster']['manifest']['hosts']): void {
  const local = hosts.filter((h) => !h.docker);
  if (hosts.length < 2 || local.length < 2) return;
  throw new RefusedError(
    `machines ${local.map((h) => h.name).join(', ')} have no docker: in the spec, so from here they would all be this machine's Docker engine (one Compose project, each up removing the others' containers). Give each a docker: (ssh://user@host or a context name) to deploy from here, or run compose on each machine as its hosts/<host>/ README says.`,
  );
}
