import type { ClusterManifest } from '../../contract/manifest.js';
import { IMAGE_REFERENCE } from '../../contract/names.js';
import { upgradePath } from '../../contract/rabbitmq-versions.js';
import { compareVersions, parseVersion, versionInImageTag } from '../../contract/version-parse.js';
import { expectPositionals, maskedAndClipped, readArgv } from '../args/argv.js';
import { ensureImageOnHosts } from '../compose/image-on-hosts.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';
import { clusterServices, type ClusterServices } from '../ops-tools.js';
import { expectEveryNodeRunning } from '../steps/every-node-running.js';
import { deprecatedFeaturesUsed, enableAllFeatureFlags, rebalanceQuorumLeaders, stableFlagsOff } from '../rabbit/upgrade-readiness.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { skipped, step } from '../steps/step.js';
import { rollNode } from '../steps/roll-node.js';
import { planUpgradeFiles, writeUpgradeFiles } from '../plan/upgrade-files.js';
import { clearUpgradeState, readUpgradeState, writeUpgradeState, type UpgradeState } from '../state/upgrade-state.js';
import { upgradePlan, type UpgradePreCheck as PreCheck } from '../plan/upgrade-plan.js';
import { changedSince, fingerprint } from '../plan/plan-inputs.js';
import { PLAN_FLAGS, planModeOf, plannedArgv, type PlanMode } from '../plan/plan-mode.js';
import { expectSamePlan, forgetPlan, takeSavedPlan } from '../plan/saved-plan.js';
import { dryRunResult, type DryRunData } from '../plan/dry-run-result.js';

type Node = ClusterManifest['nodes'][number];

export interface UpgradeData {
  image: string;
  from: string;
  to: string;
  /** Per node upgraded in this run: seconds from its gate to revived. */
  nodes: Array<{ node: string; seconds: number }>;
  /** Nodes an earlier, interrupted run had already upgraded. */
  alreadyDone: string[];
  featureFlagsEnabledBefore: string[];
  deprecatedFeaturesUsed: string[] | undefined;
  filesChanged: string[];
}

interface UpgradeArgs {
  image: string;
  version: string | undefined;
  mode: PlanMode;
  /** The words without --dry-run and --plan: what the plan records. */
  argv: string[];
}

/**
 * A rolling upgrade to a new image, one node at a time, as RabbitMQ's upgrade guide describes it
 * (https://www.rabbitmq.com/docs/rolling-upgrade): pre-checks (a supported path from the version
 * that runs, every node up and clustered, no alarm, stable feature flags on, deprecated features
 * listed), then per node: the quorum gate, drain, a new container on the new image, clustered
 * again, revived; then every feature flag and the quorum leaders rebalanced. The spec and the
 * generated files say the new image from the first node on; `.rmq-compose/upgrade.json` says how
 * far it got, so running it again after a stop resumes at the next node.
 */
export const upgradeAction = defineAction<UpgradeArgs, UpgradeData | DryRunData>(CATALOG.upgrade, {
  parse(argv) {
    const usage = CATALOG.upgrade.usage;
    const p = readArgv(argv, { to: 'value', version: 'value', ...PLAN_FLAGS }, usage);
    expectPositionals(p, 0, 0, usage);
    const image = p.flags.get('to');
    if (typeof image !== 'string') throw new InvalidArgumentError(`say which image to upgrade to; usage: ${usage}`);
    if (!IMAGE_REFERENCE.test(image))
      throw new InvalidArgumentError(
        `"${maskedAndClipped(image)}" is not a Docker image reference (like rabbitmq:4.3-management or registry.example:5000/rabbitmq:4.3.6)`,
      );
    const version = p.flags.get('version');
    if (version !== undefined && (typeof version !== 'string' || !parseVersion(version)))
      throw new InvalidArgumentError(`--version must look like 4.3 or 4.3.6, not "${maskedAndClipped(String(version))}"`);
    return { image, version: version as string | undefined, mode: planModeOf(p), argv: plannedArgv(argv) };
  },
  async run(ctx, args) {
    const { image, version } = args;
    const { dir } = ctx.cluster;
    const earlier = await readUpgradeState(dir);
    if (earlier && earlier.image !== image) {
      throw new RefusedError(
        `an upgrade to ${earlier.image} started ${earlier.startedAt} is unfinished (done: ${earlier.done.join(', ') || 'no node yet'}); finish it first with \`upgrade --to ${earlier.image}\``,
      );
    }
    // the nodes still to go would start from the files the earlier run wrote: they must be those
    const edited = earlier?.written ? await changedSince(earlier.written) : [];
    if (edited.length > 0)
      throw new RefusedError(
        `${edited.join(', ')} changed since this upgrade wrote ${edited.length === 1 ? 'it' : 'them'} (started ${earlier!.startedAt}; done: ${earlier!.done.join(', ') || 'no node yet'}); the nodes still to upgrade would start from the changed files. Put them back as the upgrade wrote them (\`rmq-compose gen\` on the spec, or undo the edit), then run \`upgrade --to ${image}\` again`,
      );
    const dryRunCommand = ['rmq-compose', 'upgrade', ...args.argv, '--dry-run'].join(' ');
    // --plan <id>: the kept plan and the files it was made from first, before the cluster is asked anything
    const saved =
      args.mode.kind === 'apply-saved'
        ? await takeSavedPlan(dir, { action: 'upgrade', cluster: ctx.cluster.manifest.name, id: args.mode.id, argv: args.argv }, dryRunCommand)
        : undefined;
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const nodes = ctx.cluster.manifest.nodes;
    const pre = await step(
      ctx,
      'pre-check',
      'pre-check: version path, every node running and clustered, no alarm, feature flags',
      () => preCheck(s, nodes, image, version, earlier),
      (p) =>
        [
          `${p.from} → ${p.to}`,
          p.flagsOff.length > 0 ? `stable feature flags off: ${p.flagsOff.join(', ')}` : 'all stable feature flags on',
          p.deprecated === undefined
            ? 'deprecated features: not listed before 3.13'
            : p.deprecated.length > 0
              ? `deprecated features in use: ${p.deprecated.join(', ')}`
              : 'no deprecated feature in use',
        ].join('; '),
    );
    const first = nodes[0]!;
    const nodeHosts = ctx.cluster.manifest.hosts.filter((h) => nodes.some((n) => n.host === h.name));
    const inputs = await fingerprint(pre.files.regeneration.inputs);
    const plan = upgradePlan(ctx.cluster.manifest.name, args, pre, earlier, nodes, nodeHosts.length, inputs, new Date(s.tools.now()));
    if (args.mode.kind === 'dry-run') return dryRunResult(ctx.cluster, plan, pre.files.diff, `${pre.from} → ${pre.to} (${image})`);
    if (saved) await step(ctx, 'plan', `plan ${saved.id}: made from these files and this cluster`, async () => expectSamePlan(saved, plan, dryRunCommand));
    if (pre.flagsOff.length > 0)
      await step(ctx, 'flags-before', `enable_feature_flag all (${pre.flagsOff.length} stable flag(s) off; the next version needs them on)`, () =>
        enableAllFeatureFlags(s.compose, first),
      );
    await step(
      ctx,
      'image',
      `${image} on ${nodeHosts.length === 1 ? 'the Docker host' : `all ${nodeHosts.length} machines`}`,
      () => ensureImageOnHosts(s.tools.runner, nodeHosts, image, s.secrets.all),
      (m) => [...m].map(([h, how]) => `${h}: ${how}`).join(', '),
    );

    const state: UpgradeState = earlier ?? {
      image,
      ...(version ? { version } : {}),
      from: pre.from,
      startedAt: new Date(s.tools.now()).toISOString(),
      filesWritten: false,
      done: [],
    };
    let filesChanged: string[] = [];
    if (state.filesWritten) skipped(ctx, 'files', 'spec and generated files', 'written by the earlier run');
    else {
      filesChanged = await step(
        ctx,
        'files',
        `record ${image} in the spec and generate the cluster's files again`,
        () => writeUpgradeFiles(pre.files),
        (c) => `${c.length} file(s) changed`,
      );
      state.filesWritten = true;
      state.written = await fingerprint(pre.files.regeneration.inputs);
      await writeUpgradeState(dir, state);
    }

    const upgraded: UpgradeData['nodes'] = [];
    for (const node of nodes) {
      if (state.done.includes(node.name)) {
        skipped(ctx, `node-${node.name}`, `${node.name}`, 'upgraded by the earlier run');
        continue;
      }
      const t0 = s.tools.now();
      await rollNode(ctx, s, node, nodes, `on ${image}`, { action: 'upgrade', goOn: `run \`upgrade --to ${image}\` again: it goes on from ${node.name}.` });
      upgraded.push({ node: node.name, seconds: Math.round((s.tools.now() - t0) / 100) / 10 });
      state.done.push(node.name);
      await writeUpgradeState(dir, state);
    }

    await step(ctx, 'versions', `every node runs ${pre.to}`, () => verifyVersions(s, nodes, pre.to));
    await step(ctx, 'flags-after', 'enable_feature_flag all (what the new version brings)', () => enableAllFeatureFlags(s.compose, first));
    await step(ctx, 'rebalance', 'rabbitmq-queues rebalance quorum (spread the leaders again)', () => rebalanceQuorumLeaders(s.compose, first));
    await clearUpgradeState(dir);
    await forgetPlan(dir, 'upgrade');
    const name = ctx.cluster.manifest.name;
    return {
      ok: true,
      headline: `${name}: upgraded to ${pre.to} (${image})`,
      text: [
        ...upgraded.map((u) => `${u.node}: ${u.seconds} s`),
        ...(state.done.length > upgraded.length
          ? [`already upgraded by the earlier run: ${state.done.filter((n) => !upgraded.some((u) => u.node === n)).join(', ')}`]
          : []),
        pre.deprecated && pre.deprecated.length > 0 ? `deprecated features still in use: ${pre.deprecated.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      data: {
        image,
        from: state.from,
        to: pre.to,
        nodes: upgraded,
        alreadyDone: state.done.filter((n) => !upgraded.some((u) => u.node === n)),
        featureFlagsEnabledBefore: pre.flagsOff,
        deprecatedFeaturesUsed: pre.deprecated,
        filesChanged,
      },
    };
  },
});

async function preCheck(
  s: ClusterServices,
  nodes: readonly Node[],
  image: string,
  version: string | undefined,
  earlier: UpgradeState | undefined,
): Promise<PreCheck> {
  const o = await expectEveryNodeRunning(s, nodes, 'not upgrading', 'every node must run first');
  const alarms = Object.entries(o.status.alarms).flatMap(([n, r]) => r.map((x) => `${x} on ${n}`));
  if (alarms.length > 0)
    throw new RefusedError(`not upgrading while a resource alarm is on (${alarms.join(', ')}): publishers are blocked already; clear it first`);
  // an interrupted upgrade may have left its node drained: it is the one it goes on with
  const drained = nodes.filter((n) => o.status.maintenance[n.erlangNode] === true && !earlier).map((n) => n.name);
  if (drained.length > 0)
    throw new RefusedError(`not upgrading: ${drained.join(', ')} ${drained.length === 1 ? 'is' : 'are'} under maintenance; \`revive\` first`);

  const running = nodes.map((n) => o.status.versions[n.erlangNode]).filter((v): v is string => v !== undefined);
  const from = running.sort(compareVersions)[0] ?? s.cluster.manifest.rabbitmq.version;
  // the path first: a spec the new version refuses (RAM nodes on 4.3) matters only on a path that exists
  const target = version ? parseVersion(version) : versionInImageTag(image);
  if (!target) throw new RefusedError(`the tag of ${image} does not say which RabbitMQ version it holds; say it with --version (like --version 4.3.6)`);
  const path = upgradePath(from, target.text);
  if (path.kind === 'refused') throw new RefusedError(`not upgrading ${from} → ${target.text}: ${path.reason}.\nInstead: ${path.suggestion}`);
  if (path.kind === 'blue-green') throw new RefusedError(`not upgrading in place: ${path.reason}`);
  if (path.steps.length > 1) {
    throw new RefusedError(
      `not upgrading ${from} → ${target.text} in one go: rolling upgrades cannot skip release lines. Upgrade through ${path.steps.join(' → ')}, one \`upgrade --to\` per line (or \`migrate\` to a new cluster).`,
    );
  }
  const files = await planUpgradeFiles(s.cluster, image, version, new Date(s.tools.now()));
  const first = nodes[0]!;
  return { from, to: target.text, files, flagsOff: await stableFlagsOff(s.compose, first), deprecated: await deprecatedFeaturesUsed(s.compose, first) };
}

async function verifyVersions(s: ClusterServices, nodes: readonly Node[], target: string): Promise<string> {
  const status = await s.ctl.clusterStatus(nodes[0]!);
  const wrong = nodes.filter((n) => !sameVersion(status.versions[n.erlangNode], target)).map((n) => `${n.name}: ${status.versions[n.erlangNode] ?? 'unknown'}`);
  if (wrong.length > 0)
    throw new RefusedError(
      `after the upgrade some nodes do not run ${target}: ${wrong.join(', ')}; is ${target} really what the image holds? (rmq-compose status)`,
    );
  return target;
}

/** "4.3.6" matches "4.3" and "4.3.6"; a target with a patch must match it. */
function sameVersion(running: string | undefined, target: string): boolean {
  if (!running) return false;
  return running === target || running.startsWith(`${target}.`);
}
