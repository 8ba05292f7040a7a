import { CONTAINER_PORTS } from '../../contract/ports.js';
import { parseVersion, versionInImageTag } from '../../contract/version-parse.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';
import { loadCluster } from '../load-cluster.js';
import { clusterServices, type ClusterServices } from '../ops-tools.js';
import { exportDefinitions, importDefinitions } from '../rabbit/definitions.js';
import { waitClustered, waitHealthy } from '../rabbit/wait-for.js';
import { amqpUri } from './amqp-uri.js';
import { planGreenFiles, writeGreenFiles } from './green-cluster.js';
import { clearShovels } from './clear-shovels.js';
import { label, waitEmpty } from './message-move.js';
import { moveUserCauses, moveUserFor, removeMoveUser, vhostsOf, withoutMoveUser, type MoveUser } from './move-user.js';
import { readShovelStatus, ShovelFailedError, shovelWatch, waitShovelsRunning } from './shovel-status.js';
import { renderMigrationReport } from './migration-report.js';
import { writeMigrationState, type MigrationPhase, type MigrationState } from './migration-state.js';
import { planShovels, shovelDefinitions, type ShovelPlan } from './shovel-plan.js';
import { transformForQuorum } from './transform-definitions.js';
import { CATALOG } from '../catalog.js';
import type { ActionContext, ActionResult } from '../action.js';
import { dryRunResult, type DryRunData } from '../plan/dry-run-result.js';
import { expectSamePlan, forgetPlan, takeSavedPlan } from '../plan/saved-plan.js';
import { planMove } from './move-plan.js';
import { skipped, step } from '../steps/step.js';
import { expectEveryNodeRunning } from '../steps/every-node-running.js';
import type { MigrateData, MoveArgs } from './migrate-types.js';
import { connectNodes, countBoth, drainWait, greenCompose, lbServices, linkNetwork, SHOVEL_PREFETCH } from './blue-green-link.js';

/**
 * `migrate` (and `migrate` again, to resume): green generated and started beside blue, the
 * definitions moved as quorum queues, blue's messages shovelled over, the load balancer handed
 * over, blue drained. Each phase is recorded in migration.json as it ends.
 */
export async function moveToGreen(
  ctx: ActionContext,
  s: ClusterServices,
  args: MoveArgs,
  earlier: MigrationState | undefined,
): Promise<ActionResult<MigrateData | DryRunData>> {
  const blue = ctx.cluster;
  const dryRunCommand = ['rmq-compose', 'migrate', ...args.argv, '--dry-run'].join(' ');
  // --plan <id>: the kept plan and the files it was made from first, before blue is asked anything
  const saved =
    args.mode.kind === 'apply-saved'
      ? await takeSavedPlan(blue.dir, { action: 'migrate', cluster: blue.manifest.name, id: args.mode.id, argv: args.argv }, dryRunCommand)
      : undefined;
  if (earlier && args.image && args.image !== earlier.image)
    throw new RefusedError(
      `a migration to ${earlier.image} is in progress (done: ${earlier.done.join(', ')}); finish it with \`migrate\`, or undo it with \`migrate rollback\``,
    );
  const image = args.image ?? earlier?.image;
  if (!image) throw new InvalidArgumentError(`say which image green runs: ${CATALOG.migrate.usage}`);

  const state: MigrationState =
    earlier ??
    (await step(
      ctx,
      'pre-check',
      "pre-check: one engine, a load balancer, every blue node running, green's spec",
      () => preCheck(s, image, args),
      (st) => `green: ${st.greenDir} on ${st.subnet}, node ports +${st.portOffset}`,
    ));
  if (args.mode.kind !== 'apply') {
    const { plan, report } = await step(ctx, 'plan', "the plan: green's files, blue's definitions as green gets them, the phases in order", () =>
      planMove(blue, s, state, args.argv, new Date(s.tools.now())),
    );
    if (args.mode.kind === 'dry-run') return dryRunResult(blue, plan, report.join('\n'), `to ${image} beside it`);
    expectSamePlan(saved!, plan, dryRunCommand);
  }
  const done = (phase: MigrationPhase) => state.done.includes(phase);
  const mark = async (phase: MigrationPhase) => {
    if (!done(phase)) state.done.push(phase);
    await writeMigrationState(blue.dir, state);
  };
  const once = async (phase: MigrationPhase, title: string, work: () => Promise<unknown>) => {
    if (done(phase)) return skipped(ctx, phase, title, 'done by the earlier run');
    await step(ctx, phase, title, work);
    await mark(phase);
  };

  // green is this run's to change too: its lock and its audit.log, from the moment it exists (a
  // folder an earlier, rolled-back try left is held before it is written again)
  const leftBefore = await loadCluster(state.greenDir).catch(() => undefined);
  if (leftBefore) await ctx.alsoHold?.(leftBefore);
  await once('green-generated', `generate green: ${state.greenSpec} → ${state.greenDir}`, () =>
    writeGreenFiles(blue, { image, version: state.version, subnet: state.subnet, portOffset: state.portOffset, now: new Date(s.tools.now()) }),
  );
  const green = await loadCluster(state.greenDir);
  await ctx.alsoHold?.(green);
  const gs = await clusterServices(green, ctx.tools);
  const greenFirst = green.manifest.nodes[0]!;
  await once(
    'green-running',
    `start green's ${green.manifest.nodes.length} nodes (not its load balancer yet) and wait until they form one cluster`,
    async () => {
      await gs.compose.upServices(green.manifest.nodes.map((n) => n.service));
      await waitHealthy(gs, green.manifest.nodes, ctx.signal);
      await waitClustered(gs, greenFirst, green.manifest.nodes, ctx.signal);
    },
  );
  const blueNode = blue.manifest.nodes[0]!;
  let report: string[] = [];
  if (!done('drained')) {
    const link = linkNetwork(s, green);
    const blueAddresses = await step(
      ctx,
      'linked',
      `join both clusters' nodes on the network ${link.name} (for the shovels only)`,
      () => connectNodes(link, s, gs),
      (a) => `blue nodes at ${a.join(', ')}`,
    );
    await mark('linked');
    // a resumed run exports again: the move user it made is blue's, never green's
    const exported = withoutMoveUser(
      (await step(ctx, 'export', `export blue's definitions (${blueNode.name})`, () => exportDefinitions(s.compose, blueNode))).definitions,
    );
    const transformed = transformForQuorum(exported, { greenVersion: green.manifest.rabbitmq.version, redeclarationRelaxed: true });
    report = renderMigrationReport(transformed.report);
    await once('definitions', 'import them into green, classic mirrored queues as quorum queues, ha-* policies dropped', () =>
      importDefinitions(gs.compose, greenFirst, transformed.definitions),
    );
    const mover = await moveUserFor(ctx, s, state, vhostsOf(exported));
    const plan = planShovelsFor(green, transformed.report.queues, blueAddresses[0]!, mover);
    state.queues = plan.entries.map((sh) => ({ vhost: sh.vhost, name: sh.queue, shovel: sh.name }));
    await moveMessages(ctx, s, gs, state, plan, once);
  }

  const counts = await step(ctx, 'counts', 'messages per queue on blue (must be 0) and on green', () => countBoth(s, gs, state.queues));
  const left = counts.filter((c) => c.blue > 0);
  await forgetPlan(blue.dir, 'migrate');
  return {
    ok: left.length === 0,
    headline: `${blue.manifest.name} → ${green.manifest.name}: clients on green (${green.manifest.rabbitmq.image}), blue drained${left.length ? ` except ${left.length} queue(s)` : ''}; \`migrate retire\` removes blue, \`migrate rollback\` goes back`,
    text: [...counts.map((c) => `${label(c)}: blue ${c.blue}, green ${c.green}`), ...report].join('\n'),
    data: { kind: 'move', green: { dir: state.greenDir, spec: state.greenSpec }, queues: counts, report },
  };
}

type Once = (phase: MigrationPhase, title: string, work: () => Promise<unknown>) => Promise<void>;

/** A terminated shovel cannot connect within its first attempt; a healthy one runs within seconds. */
const SHOVELS_START_MS = 60_000;
/** Not running (blocked, restarting) this long during the drain: it is not moving its queue. */
const SHOVEL_STUCK_MS = 120_000;
const ROLLBACK = 'migrate rollback';
/** How often the drain asks green's nodes for the shovels' state (its polls of blue's counts are every 2 s). */
const SHOVEL_WATCH_MS = 10_000;

/**
 * Shovels on, every one of them running, load balancer handed over, blue emptied by the shovels
 * (a shovel that ends meanwhile fails the move at once), shovels, link and move user removed.
 */
async function moveMessages(ctx: ActionContext, s: ClusterServices, gs: ClusterServices, state: MigrationState, plan: ShovelPlan, once: Once): Promise<void> {
  const blue = s.cluster;
  const green = gs.cluster;
  const greenFirst = green.manifest.nodes[0]!;
  // imported as definitions (a 0600 file in the container), so blue's password is on no command line
  await once('shovels', `start ${plan.entries.length} shovel(s) on green, each moving one of blue's queues`, () =>
    importDefinitions(greenCompose(gs, plan.entries), greenFirst, shovelDefinitions(plan)),
  );
  const shovels = plan.entries.map((e) => ({ vhost: e.vhost, name: e.name, queue: e.queue }));
  // read with the shovels' secrets masked: a status row or a termination reason may quote a URI
  const readShovels = () => readShovelStatus(greenCompose(gs, plan.entries), green.manifest.nodes);
  // a shovel that ended: its user's rights on blue say whether a restart can cure it
  const explain = (vhosts: readonly string[]) => moveUserCauses(s.compose, blue.manifest.nodes[0]!, vhosts);
  if (!state.done.includes('switched')) {
    const gateTitle = `every shovel running before the load balancer moves (${plan.entries.length})`;
    await step(ctx, 'shovels-running', gateTitle, async () => {
      try {
        await waitShovelsRunning(readShovels, shovels, {
          timeoutMs: SHOVELS_START_MS,
          pollMs: Math.min(2000, s.tools.waits.pollMs),
          now: s.tools.now,
          sleep: s.tools.sleep,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          onPoll: (left) => ctx.progress({ id: 'shovels-running', title: gateTitle, state: 'running', detail: left }),
          rollback: ROLLBACK,
          explain,
        });
      } catch (error) {
        if (!(error instanceof ShovelFailedError)) throw error;
        // no half move: every shovel stops, and a later run starts them again from the plan
        await clearShovels(gs, plan.entries);
        state.done = state.done.filter((phase) => phase !== 'shovels');
        await writeMigrationState(blue.dir, state);
        throw error;
      }
    });
  }
  await once('switched', "hand the load balancer over: stop blue's, start green's (same ports, same VIP)", async () => {
    await s.compose.stopServices(lbServices(blue), 5);
    await gs.compose.upServices(lbServices(green));
  });
  const drainTitle = `wait until the shovels have emptied blue's ${state.queues.length} queue(s), then stop them`;
  await once('drained', drainTitle, async () => {
    // a shovel that ended (or stopped running) can never empty its queue: fail now, not at the deadline
    const check = shovelWatch(readShovels, shovels, { now: s.tools.now, stuckMs: SHOVEL_STUCK_MS, rollback: ROLLBACK, everyMs: SHOVEL_WATCH_MS, explain });
    await waitEmpty(s, blue.manifest.nodes[0]!, state.queues, { ...drainWait(ctx, s, 'drained', drainTitle, 'still on blue'), check });
    await clearShovels(gs, plan.entries);
    await linkNetwork(s, green).remove();
    // nothing logs in as it any more; a rollback makes it again if it needs it
    await removeMoveUser(s.compose, blue.manifest.nodes[0]!);
    delete state.mover;
  });
}

async function preCheck(s: ClusterServices, image: string, args: MoveArgs): Promise<MigrationState> {
  const { manifest } = s.cluster;
  if (manifest.hosts.length > 1)
    throw new RefusedError(
      `${manifest.name} runs on ${manifest.hosts.length} machines; migrate runs green beside blue on one Docker engine and does not support multi-host clusters yet`,
    );
  if (!manifest.loadBalancer || manifest.loadBalancer.instances.length === 0)
    throw new RefusedError(
      `${manifest.name} has no load balancer: migrate moves clients by handing the load balancer over to green, so clients must connect through it`,
    );
  await expectEveryNodeRunning(s, manifest.nodes, 'not migrating', 'every node of blue must run so its queues can be read');
  const version = args.version ? parseVersion(args.version) : versionInImageTag(image);
  if (!version) throw new RefusedError(`the tag of ${image} does not say which RabbitMQ version it holds; say it with --version (like --version 4.3.6)`);
  if (version.major < 4) throw new RefusedError(`green would run ${version.text}: migrate moves to quorum queues on 4.x; within 3.x use \`upgrade\``);
  const subnet = args.subnet ?? nextSubnet(manifest.nodes[0]?.address);
  const planned = await planGreenFiles(s.cluster, { image, version: args.version, subnet, portOffset: args.portOffset, now: new Date(s.tools.now()) });
  return {
    image,
    ...(args.version ? { version: args.version } : {}),
    startedAt: new Date(s.tools.now()).toISOString(),
    greenDir: planned.dir,
    greenSpec: planned.specPath,
    subnet,
    portOffset: args.portOffset,
    done: [],
    queues: [],
  };
}

/** a.b.c.x → a.b.(c+1).0/24: blue's network is a /24 on one host; green takes the next one unless told. */
function nextSubnet(address: string | undefined): string {
  const parts = address?.split('.').map(Number);
  if (!parts || parts.length !== 4 || parts[2]! >= 255)
    throw new RefusedError("cannot pick a network for green from blue's node addresses; give one with --subnet a.b.c.0/24");
  return `${parts[0]}.${parts[1]}.${parts[2]! + 1}.0/24`;
}

/** One shovel per moved queue, on green: from blue's first node (by its link address, as the move user) to green itself. */
function planShovelsFor(green: ClusterHandle, queues: Parameters<typeof planShovels>[0], blueAddress: string, mover: MoveUser): ShovelPlan {
  const vhosts = [...new Set(queues.map((q) => q.vhost))];
  const endpoints = vhosts.map((vhost) => ({
    vhost,
    srcUri: amqpUri({ user: mover.name, pass: mover.password, host: blueAddress, port: CONTAINER_PORTS.amqp, vhost }),
    destUri: amqpUri({ vhost }),
  }));
  // clients publish to blue until the switch: the shovels run until blue is empty after it, then are removed
  return planShovels(queues, endpoints, { hostVersion: green.manifest.rabbitmq.version, deleteAfter: 'never', prefetch: SHOVEL_PREFETCH });
}
