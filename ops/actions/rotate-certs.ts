import { expectPositionals, maskedAndClipped, readArgv } from '../args/argv.js';
import { CATALOG } from '../catalog.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { expectEveryNodeRunning } from '../steps/every-node-running.js';
import { defineAction } from '../action.js';
import { rollNode } from '../steps/roll-node.js';
import { skipped, step } from '../steps/step.js';
import { planRotatedFiles } from '../plan/rotated-files.js';
import type { Regeneration } from '../plan/regenerate.js';
import { assemblePlan, type ActionPlan, type PlanInput } from '../plan/action-plan.js';
import { fingerprint } from '../plan/plan-inputs.js';
import { PLAN_FLAGS, planModeOf, plannedArgv, type PlanMode } from '../plan/plan-mode.js';
import { expectSamePlan, forgetPlan, takeSavedPlan } from '../plan/saved-plan.js';
import { dryRunResult, type DryRunData } from '../plan/dry-run-result.js';
import type { ClusterManifest } from '../../contract/manifest.js';

export interface RotateCertsData {
  /** What got a new certificate (node names, "load balancer"); empty for the user's own files. */
  issued: string[];
  /** Per node rolled: seconds from its gate to revived. */
  nodes: Array<{ node: string; seconds: number }>;
  loadBalancers: string[];
  filesChanged: string[];
}

/**
 * New certificates without a client-visible outage: the files first (issued by the cluster CA,
 * or the user's replaced files read again), then node by node behind the quorum gates, as a
 * rolling upgrade does (a node's new container reads its new certificate at boot; the others keep
 * serving meanwhile), then nginx when it terminates TLS, one load balancer at a time. The CA
 * stays: every client that trusts tls/ca.pem keeps trusting the new certificates. A new CA goes
 * in three runs with an overlap: `--new-ca` (trusted beside the old one everywhere, nothing it
 * signed served yet), then a plain run once clients trust the bundle (every certificate from the
 * new CA), then `--retire-previous-ca`.
 */
interface RotateArgs {
  only: string | undefined;
  ca: 'new' | 'retire-previous' | undefined;
  rollOnly: boolean;
  mode: PlanMode;
  /** The words without --dry-run and --plan: what the plan records. */
  argv: string[];
}

export const rotateCertsAction = defineAction<RotateArgs, RotateCertsData | DryRunData>(CATALOG['rotate-certs'], {
  parse(argv, manifest) {
    const usage = CATALOG['rotate-certs'].usage;
    const p = readArgv(argv, { node: 'value', 'new-ca': 'boolean', 'retire-previous-ca': 'boolean', 'roll-only': 'boolean', ...PLAN_FLAGS }, usage);
    expectPositionals(p, 0, 0, usage);
    const only = p.flags.get('node');
    if (only !== undefined && (typeof only !== 'string' || !manifest.nodes.some((n) => n.name === only))) {
      throw new InvalidArgumentError(
        `--node must name a node of ${manifest.name} (${manifest.nodes.map((n) => n.name).join(', ')}), not "${maskedAndClipped(String(only))}"`,
      );
    }
    const newCa = p.flags.get('new-ca') === true;
    const retire = p.flags.get('retire-previous-ca') === true;
    if ((newCa || retire) && only !== undefined)
      throw new InvalidArgumentError('--new-ca and --retire-previous-ca change what every node trusts: they go without --node');
    if (newCa && retire)
      throw new InvalidArgumentError(
        '--new-ca and --retire-previous-ca are two steps of a CA rotation, run at least a day apart (clients must trust the new CA in between); give one',
      );
    const rollOnly = p.flags.get('roll-only') === true;
    if (rollOnly && (newCa || retire))
      throw new InvalidArgumentError('--roll-only leaves the files as they are: it goes without --new-ca and --retire-previous-ca');
    return {
      only: only as string | undefined,
      ca: newCa ? 'new' : retire ? 'retire-previous' : undefined,
      rollOnly,
      mode: planModeOf(p),
      argv: plannedArgv(argv),
    };
  },
  async run(ctx, args) {
    const { only, ca, rollOnly } = args;
    const m = ctx.cluster.manifest;
    if (!m.tls) throw new RefusedError(`${m.name} has no TLS (no tls: in its spec): there is no certificate to rotate`);
    if (ca && m.tls.certificates !== 'generated')
      throw new RefusedError(
        `${m.name} uses your own certificate files (tls.certificates): put the new CA in your ca file (both CAs during the overlap), run gen, then rotate-certs`,
      );
    const dryRunCommand = ['rmq-compose', 'rotate-certs', ...args.argv, '--dry-run'].join(' ');
    // --plan <id>: the kept plan and the files it was made from first, before the cluster is asked anything
    const saved =
      args.mode.kind === 'apply-saved'
        ? await takeSavedPlan(ctx.cluster.dir, { action: 'rotate-certs', cluster: m.name, id: args.mode.id, argv: args.argv }, dryRunCommand)
        : undefined;
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const nodes = m.nodes;
    const targets = only ? nodes.filter((n) => n.name === only) : nodes;
    await step(ctx, 'pre-check', 'every node running and clustered', () =>
      expectEveryNodeRunning(s, nodes, 'not rotating', 'a node restarted now could leave queues without a majority'),
    );
    const what =
      ca === 'new'
        ? 'a new CA, trusted beside the current one (tls/ca.pem holds both; node certificates unchanged)'
        : ca === 'retire-previous'
          ? 'trust only the CA that signs now (certificates still signed by the previous one are issued again)'
          : m.tls.certificates === 'generated'
            ? `issue new certificates (${targets.map((n) => n.name).join(', ')}${m.tls.loadBalancer && !only ? ', load balancer' : ''}) with the cluster CA`
            : 'read your certificate files again (tls.certificates)';
    // --roll-only: after a roll a gate paused, the files already hold what the nodes must serve
    const regeneration = rollOnly
      ? undefined
      : await planRotatedFiles(
          ctx.cluster,
          targets.map((n) => n.name),
          new Date(s.tools.now()),
          ca,
        );
    const lbs = m.tls.loadBalancer && !only ? [...(m.loadBalancer?.instances ?? [])].reverse() : [];
    const inputs = await fingerprint(regeneration?.inputs ?? []);
    const plan = rotatePlan(m, args, what, regeneration, targets, lbs, inputs, new Date(s.tools.now()));
    if (args.mode.kind === 'dry-run') return dryRunResult(ctx.cluster, plan, regeneration?.diff ?? '', what);
    if (saved) await step(ctx, 'plan', `plan ${saved.id}: made from these files and this cluster`, async () => expectSamePlan(saved, plan, dryRunCommand));
    const files = !regeneration
      ? (skipped(ctx, 'files', what, '--roll-only: the files as they are'), { changed: [], issued: [] })
      : await step(
          ctx,
          'files',
          what,
          async () => ({ changed: await regeneration.write(), issued: regeneration.plan.tlsIssued ?? [] }),
          (f) => `${f.changed.length} file(s) changed`,
        );
    const lbNote = m.tls.loadBalancer && !only ? ', then `rotate-certs --roll-only` (every node once more, then nginx)' : '';
    const rolled: RotateCertsData['nodes'] = [];
    for (const node of targets) {
      const t0 = s.tools.now();
      await rollNode(ctx, s, node, nodes, 'with its new certificate', {
        action: 'rotate-certs',
        goOn: `run \`rotate-certs --roll-only --node <node>\` for ${node.name} and each node after it (${targets
          .slice(targets.indexOf(node))
          .map((n) => n.name)
          .join(', ')})${lbNote}: the files already hold the new certificates.`,
      });
      rolled.push({ node: node.name, seconds: Math.round((s.tools.now() - t0) / 100) / 10 });
    }
    // nginx reads the CA bundle and its own certificate (terminate): again after any change of either;
    // backups first: the instance holding the VIP goes last, once the others serve the new certificate
    for (const lb of lbs) await step(ctx, `lb-${lb.name}`, `${lb.name}: nginx with its new certificate`, () => s.compose.recreate(lb.nginxService, lb.host));
    await forgetPlan(ctx.cluster.dir, 'rotate-certs');
    return {
      ok: true,
      headline: `${m.name}: certificates rotated on ${rolled.length} node(s)${lbs.length ? ` and ${lbs.length} load balancer(s)` : ''}`,
      text: [
        ...rolled.map((r) => `${r.node}: ${r.seconds} s`),
        ...(files.issued.length ? [`issued: ${files.issued.join(', ')}`] : []),
        ...(ca === 'new'
          ? [
              'Next: give clients the new tls/ca.pem (it holds both CAs), then `rmq-compose rotate-certs` issues every certificate from the new CA; later `rotate-certs --retire-previous-ca`.',
            ]
          : []),
      ].join('\n'),
      data: { issued: files.issued, nodes: rolled, loadBalancers: lbs.map((l) => l.name), filesChanged: files.changed },
    };
  },
});

type Node = ClusterManifest['nodes'][number];
type LoadBalancer = NonNullable<ClusterManifest['loadBalancer']>['instances'][number];

/** The rotation as a value: the files, then the nodes in order behind their gates, then nginx. Pure. */
function rotatePlan(
  m: ClusterManifest,
  args: RotateArgs,
  what: string,
  regeneration: Regeneration | undefined,
  targets: readonly Node[],
  lbs: readonly LoadBalancer[],
  inputs: PlanInput[],
  now: Date,
): ActionPlan {
  return assemblePlan({
    action: 'rotate-certs',
    cluster: m.name,
    argv: args.argv,
    madeAt: now.toISOString(),
    inputs,
    files: regeneration?.files ?? [],
    steps: [
      regeneration ? `${what}: write the ${regeneration.files.length} file(s) below` : '--roll-only: the files as they are',
      ...targets.map((n) => `${n.name}: quorum gate, drain, new container with its new certificate, clustered again, revive`),
      ...lbs.map((lb) => `${lb.name}: nginx recreated with its new certificate`),
    ],
  });
}
