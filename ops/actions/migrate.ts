import { IMAGE_REFERENCE } from '../../contract/names.js';
import { CONTAINER_PORTS } from '../../contract/ports.js';
import { parseVersion, versionInImageTag } from '../../contract/version-parse.js';
import { expectPositionals, maskedAndClipped, readArgv } from '../args/argv.js';
import { intArg } from '../args/validators.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { ComposeClient } from '../compose/compose-client.js';
import { dockerEnv } from '../compose/docker-endpoint.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';
import { loadCluster } from '../load-cluster.js';
import { clusterServices, type ClusterServices } from '../ops-tools.js';
import { exportDefinitions, importDefinitions } from '../rabbit/definitions.js';
import { containerOf, isNodeRunning, observeCluster } from '../rabbit/observe-cluster.js';
import { waitClustered, waitHealthy } from '../rabbit/wait-for.js';
import { amqpUri } from '../migration/amqp-uri.js';
import { planGreenFiles, writeGreenFiles } from '../migration/green-cluster.js';
import { LinkNetwork } from '../migration/link-network.js';
import { clearShovels, key, label, queueDepths, waitEmpty, type QueueRef } from '../migration/message-move.js';
import { renderMigrationReport } from '../migration/migration-report.js';
import { clearMigrationState, readMigrationState, writeMigrationState, type MigrationPhase, type MigrationState } from '../migration/migration-state.js';
import { planShovels, shovelDefinitions, type ShovelPlan } from '../migration/shovel-plan.js';
import { transformForQuorum } from '../migration/transform-definitions.js';
import { CATALOG } from '../catalog.js';
import { defineAction, type ActionContext } from './action.js';
import { skipped, step } from '../steps/step.js';

type Args =
  | { kind: 'move'; image: string | undefined; version: string | undefined; subnet: string | undefined; portOffset: number }
  | { kind: 'rollback' }
  | { kind: 'retire' };

export interface MigrateData {
  kind: Args['kind'];
  green: { dir: string; spec: string };
  /** Messages per moved queue at the end: on blue (0 once drained) and on green. */
  queues: Array<{ vhost: string; name: string; blue: number; green: number }>;
  /** What the definitions transform did, one line per queue, policy and warning. */
  report: string[];
}

const SUBNET = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){2}\.0\/24$/;
const DRAIN_MS = 15 * 60_000;

/**
 * Blue-green from a running cluster (blue, typically 3.x with mirrored classic queues) to a new
 * one (green, 4.x with quorum queues) beside it on the same engine, as RabbitMQ's blue-green guide
 * describes (https://www.rabbitmq.com/docs/blue-green-upgrade): green generated from blue's spec
 * with the new image; blue's definitions exported, turned into quorum queues and imported; one
 * shovel per queue on green pulling blue's messages; then the load balancer handed over (green's
 * nginx and keepalived take the same ports and VIP), blue drained by the shovels and the counts
 * checked queue by queue. Each phase is recorded: the same command resumes; `migrate rollback`
 * hands clients and messages back to blue until `migrate retire` removes blue.
 */
export const migrateAction = defineAction<Args, MigrateData>(CATALOG.migrate, {
  parse(argv) {
    const usage = CATALOG.migrate.usage;
    const p = readArgv(argv, { to: 'value', version: 'value', subnet: 'value', 'port-offset': 'value' }, usage);
    const [sub] = expectPositionals(p, 0, 1, usage);
    if (sub === 'rollback' || sub === 'retire') {
      if (p.flags.size > 0) throw new InvalidArgumentError(`migrate ${sub} takes no options; usage: ${usage}`);
      return { kind: sub };
    }
    if (sub !== undefined) throw new InvalidArgumentError(`unknown migrate step "${maskedAndClipped(sub)}"; usage: ${usage}`);
    const image = p.flags.get('to') as string | undefined;
    if (image !== undefined && !IMAGE_REFERENCE.test(image))
      throw new InvalidArgumentError(`"${maskedAndClipped(image)}" is not a Docker image reference (like rabbitmq:4.3-management)`);
    const version = p.flags.get('version') as string | undefined;
    if (version !== undefined && !parseVersion(version))
      throw new InvalidArgumentError(`--version must look like 4.3 or 4.3.6, not "${maskedAndClipped(version)}"`);
    const subnet = p.flags.get('subnet') as string | undefined;
    if (subnet !== undefined && !SUBNET.test(subnet))
      throw new InvalidArgumentError(`--subnet must be a /24 network like 172.30.12.0/24, not "${maskedAndClipped(subnet)}"`);
    const offset = p.flags.get('port-offset') as string | undefined;
    return { kind: 'move', image, version, subnet, portOffset: offset === undefined ? 1000 : intArg(offset, '--port-offset', 1, 30000) };
  },
  async run(ctx, args) {
    const state = await readMigrationState(ctx.cluster.dir);
    const s = await clusterServices(ctx.cluster, ctx.tools);
    if (args.kind === 'move') return move(ctx, s, args, state);
    if (!state)
      throw new RefusedError(`no migration of ${ctx.cluster.manifest.name} is in progress (nothing to ${args.kind}); start one with \`migrate --to <image>\``);
    return args.kind === 'rollback' ? rollback(ctx, s, state) : retire(ctx, s, state);
  },
});

async function move(
  ctx: ActionContext,
  s: ClusterServices,
  args: Extract<Args, { kind: 'move' }>,
  earlier: MigrationState | undefined,
): Promise<{ ok: boolean; headline: string; text: string; data: MigrateData }> {
  const blue = ctx.cluster;
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

  await once('green-generated', `generate green: ${state.greenSpec} → ${state.greenDir}`, () =>
    writeGreenFiles(blue, { image, version: state.version, subnet: state.subnet, portOffset: state.portOffset, now: new Date(s.tools.now()) }),
  );
  const green = await loadCluster(state.greenDir);
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
    const { definitions: exported } = await step(ctx, 'export', `export blue's definitions (${blueNode.name})`, () => exportDefinitions(s.compose, blueNode));
    const transformed = transformForQuorum(exported, { greenVersion: green.manifest.rabbitmq.version, redeclarationRelaxed: true });
    report = renderMigrationReport(transformed.report);
    await once('definitions', 'import them into green, classic mirrored queues as quorum queues, ha-* policies dropped', () =>
      importDefinitions(gs.compose, greenFirst, transformed.definitions),
    );
    const plan = planShovelsFor(s, green, transformed.report.queues, blueAddresses[0]!);
    state.queues = plan.entries.map((sh) => ({ vhost: sh.vhost, name: sh.queue, shovel: sh.name }));
    await moveMessages(ctx, s, gs, state, plan, once);
  }

  const counts = await step(ctx, 'counts', 'messages per queue on blue (must be 0) and on green', () => countBoth(s, gs, state.queues));
  const left = counts.filter((c) => c.blue > 0);
  return {
    ok: left.length === 0,
    headline: `${blue.manifest.name} → ${green.manifest.name}: clients on green (${green.manifest.rabbitmq.image}), blue drained${left.length ? ` except ${left.length} queue(s)` : ''}; \`migrate retire\` removes blue, \`migrate rollback\` goes back`,
    text: [...counts.map((c) => `${label(c)}: blue ${c.blue}, green ${c.green}`), ...report].join('\n'),
    data: { kind: 'move', green: { dir: state.greenDir, spec: state.greenSpec }, queues: counts, report },
  };
}

type Once = (phase: MigrationPhase, title: string, work: () => Promise<unknown>) => Promise<void>;

/** Shovels on, load balancer handed over, blue emptied by the shovels, shovels and link removed. */
async function moveMessages(ctx: ActionContext, s: ClusterServices, gs: ClusterServices, state: MigrationState, plan: ShovelPlan, once: Once): Promise<void> {
  const blue = s.cluster;
  const green = gs.cluster;
  const greenFirst = green.manifest.nodes[0]!;
  // imported as definitions (a 0600 file in the container), so blue's password is on no command line
  await once('shovels', `start ${plan.entries.length} shovel(s) on green, each moving one of blue's queues`, () =>
    importDefinitions(greenCompose(gs, plan.entries), greenFirst, shovelDefinitions(plan)),
  );
  await once('switched', "hand the load balancer over: stop blue's, start green's (same ports, same VIP)", async () => {
    await s.compose.stopServices(lbServices(blue), 5);
    await gs.compose.upServices(lbServices(green));
  });
  const drainTitle = `wait until the shovels have emptied blue's ${state.queues.length} queue(s), then stop them`;
  await once('drained', drainTitle, async () => {
    await waitEmpty(s, blue.manifest.nodes[0]!, state.queues, drainWait(ctx, s, 'drained', drainTitle, 'still on blue'));
    await clearShovels(gs.compose, greenFirst, plan.entries);
    await linkNetwork(s, green).remove();
  });
}

async function preCheck(s: ClusterServices, image: string, args: Extract<Args, { kind: 'move' }>): Promise<MigrationState> {
  const { manifest } = s.cluster;
  if (manifest.hosts.length > 1)
    throw new RefusedError(
      `${manifest.name} runs on ${manifest.hosts.length} machines; migrate runs green beside blue on one Docker engine and does not support multi-host clusters yet`,
    );
  if (!manifest.loadBalancer || manifest.loadBalancer.instances.length === 0)
    throw new RefusedError(
      `${manifest.name} has no load balancer: migrate moves clients by handing the load balancer over to green, so clients must connect through it`,
    );
  const o = await observeCluster(s);
  const down = manifest.nodes.filter((n) => !isNodeRunning(o, n)).map((n) => n.name);
  if (down.length > 0)
    throw new RefusedError(`not migrating: ${down.join(', ')} not running in blue; every node must run so its queues can be read (rmq-compose status)`);
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

/** Polls every 2 s (or the waits' poll) for up to 15 min, saying on the step's line what is left. */
function drainWait(ctx: ActionContext, s: ClusterServices, id: string, title: string, what: string): Parameters<typeof waitEmpty>[3] {
  return {
    timeoutMs: DRAIN_MS,
    pollMs: Math.min(2000, s.tools.waits.pollMs),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onPoll: (left) => ctx.progress({ id, title, state: 'running', detail: `${what}: ${left}` }),
  };
}

function linkNetwork(s: ClusterServices, green: ClusterHandle): LinkNetwork {
  return new LinkNetwork(s.tools.runner, `${green.manifest.project}-link`, dockerEnv(s.cluster.manifest.hosts[0]!));
}

/** Every node container of both clusters on the link network; blue's addresses there, in node order. */
async function connectNodes(link: LinkNetwork, s: ClusterServices, gs: ClusterServices): Promise<string[]> {
  await link.create(s.cluster.manifest.project);
  const blueContainers = await s.compose.ps();
  const greenContainers = await gs.compose.ps();
  const addresses: string[] = [];
  for (const node of s.cluster.manifest.nodes) {
    const c = containerOf(blueContainers, node);
    if (!c) throw new RefusedError(`blue's ${node.name} has no container`);
    addresses.push(await link.connect(c.name));
  }
  for (const node of gs.cluster.manifest.nodes) {
    const c = containerOf(greenContainers, node);
    if (!c) throw new RefusedError(`green's ${node.name} has no container`);
    await link.connect(c.name);
  }
  return addresses;
}

type PlannedShovel = ShovelPlan['entries'][number];

/** One shovel per moved queue, on green: from blue's first node (by its link address) to green itself. */
function planShovelsFor(s: ClusterServices, green: ClusterHandle, queues: Parameters<typeof planShovels>[0], blueAddress: string): ShovelPlan {
  const { user, password } = s.secrets;
  if (!user || !password)
    throw new RefusedError(`blue's default user or password is not in ${s.cluster.manifest.envFile}; the shovels log in to blue with them`);
  const vhosts = [...new Set(queues.map((q) => q.vhost))];
  const endpoints = vhosts.map((vhost) => ({
    vhost,
    srcUri: amqpUri({ user, pass: password, host: blueAddress, port: CONTAINER_PORTS.amqp, vhost }),
    destUri: amqpUri({ vhost }),
  }));
  // clients publish to blue until the switch: the shovels run until blue is empty after it, then are removed
  return planShovels(queues, endpoints, { hostVersion: green.manifest.rabbitmq.version, deleteAfter: 'never', prefetch: SHOVEL_PREFETCH });
}

/**
 * Unacknowledged messages per shovel (the plugin's default is 1000). Each unacked message of a
 * 3.x mirrored queue is state its mirrors keep in step; with 1000 per queue while clients still
 * publish, 3.10's queue processes stopped answering list_queues for minutes in e2e runs and the
 * drain could not be decided. 100 keeps the transfer streaming with a tenth of that state.
 */
const SHOVEL_PREFETCH = 100;

/** Green's compose client masking the shovels' URIs too (a password percent-encoded is another string). */
function greenCompose(gs: ClusterServices, shovels: readonly PlannedShovel[]): ComposeClient {
  return new ComposeClient(gs.tools.runner, gs.cluster, [...gs.secrets.all, ...shovels.flatMap((s) => s.secrets)]);
}

function lbServices(cluster: ClusterHandle): string[] {
  return (cluster.manifest.loadBalancer?.instances ?? []).flatMap((i) => [i.nginxService, ...(i.keepalivedService ? [i.keepalivedService] : [])]);
}

async function countBoth(s: ClusterServices, gs: ClusterServices, queues: readonly QueueRef[]): Promise<MigrateData['queues']> {
  const blue = await queueDepths(s.compose, s.cluster.manifest.nodes[0]!, queues).catch(() => new Map<string, number>());
  const green = await queueDepths(gs.compose, gs.cluster.manifest.nodes[0]!, queues);
  return queues.map((q) => ({ ...q, blue: blue.get(key(q)) ?? 0, green: green.get(key(q)) ?? 0 }));
}

/**
 * Back to blue before it is retired: the load balancer handed back, whatever green received
 * since the switch shovelled back into blue's queues, green removed (containers and data; its
 * folder and spec stay for another try).
 */
async function rollback(
  ctx: ActionContext,
  s: ClusterServices,
  state: MigrationState,
): Promise<{ ok: boolean; headline: string; text: string; data: MigrateData }> {
  const blue = ctx.cluster;
  const green = await loadCluster(state.greenDir).catch(() => undefined);
  if (!green) {
    await clearMigrationState(blue.dir);
    return {
      ok: true,
      headline: `${blue.manifest.name}: nothing of green to undo; the migration record is cleared`,
      text: '',
      data: { kind: 'rollback', green: { dir: state.greenDir, spec: state.greenSpec }, queues: [], report: [] },
    };
  }
  const gs = await clusterServices(green, ctx.tools);
  const greenFirst = green.manifest.nodes[0]!;
  const greenUp = state.done.includes('green-running');
  if (greenUp && state.done.includes('shovels') && !state.done.includes('drained')) {
    await step(ctx, 'stop-shovels', 'stop the blue → green shovels', () =>
      clearShovels(
        gs.compose,
        greenFirst,
        state.queues.map((q) => ({ vhost: q.vhost, name: q.shovel })),
      ),
    );
  }
  if (state.done.includes('switched')) {
    await step(ctx, 'switch-back', "hand the load balancer back: stop green's, start blue's", async () => {
      await gs.compose.stopServices(lbServices(green), 5);
      await s.compose.upServices(lbServices(blue));
    });
  }
  let counts: MigrateData['queues'] = [];
  if (greenUp && state.queues.length > 0) {
    const depths = await queueDepths(gs.compose, greenFirst, state.queues);
    const back = state.queues.filter((q) => (depths.get(key(q)) ?? 0) > 0);
    if (back.length > 0) {
      const link = linkNetwork(s, green);
      const addresses = await step(ctx, 'linked', `join both clusters' nodes on ${link.name}`, () => connectNodes(link, s, gs));
      const { user, password } = s.secrets;
      // the same shovels the other way, still run by green: from its own queues to blue's node
      const plan = planShovels(
        back.map((q) => ({ ...q, action: { kind: 'unchanged', why: 'already-quorum' }, greenType: 'quorum' })),
        [...new Set(back.map((q) => q.vhost))].map((vhost) => ({
          vhost,
          srcUri: amqpUri({ vhost }),
          destUri: amqpUri({ user: user!, pass: password!, host: addresses[0]!, port: CONTAINER_PORTS.amqp, vhost }),
        })),
        { hostVersion: green.manifest.rabbitmq.version, deleteAfter: 'never', prefix: 'rmq-compose-rollback', prefetch: SHOVEL_PREFETCH },
      );
      const backTitle = `move ${back.length} queue(s) of messages green received back to blue`;
      await step(ctx, 'shovel-back', backTitle, async () => {
        await importDefinitions(greenCompose(gs, plan.entries), greenFirst, shovelDefinitions(plan));
        await waitEmpty(gs, greenFirst, back, drainWait(ctx, s, 'shovel-back', backTitle, 'still on green'));
        await clearShovels(gs.compose, greenFirst, plan.entries);
      });
      await link.remove();
    }
    counts = await countBoth(s, gs, state.queues);
  }
  await linkNetwork(s, green).remove();
  if (greenUp && state.queues.length > 0) {
    // green's data goes next: only when rabbitmqctl itself says nothing is left in it
    const left = [...(await queueDepths(gs.compose, greenFirst, state.queues))].filter(([, n]) => n > 0);
    if (left.length > 0)
      throw new RefusedError(
        `green still holds messages (${left.map(([k, n]) => `${k.split('\u0000')[1]}: ${n}`).join(', ')}); not removing it. Clients are on blue again; run \`migrate rollback\` again to move the rest`,
      );
  }
  await step(ctx, 'green-down', `remove green's containers and data (${green.manifest.project}); its folder and spec stay`, () => gs.compose.down(true));
  await clearMigrationState(blue.dir);
  const still = await observeCluster(s);
  const running = blue.manifest.nodes.filter((n) => isNodeRunning(still, n)).length;
  return {
    ok: true,
    headline: `${blue.manifest.name}: rolled back, clients on blue again (${running}/${blue.manifest.nodes.length} nodes running); green removed`,
    text: counts.map((c) => `${label(c)}: blue ${c.blue}, green ${c.green}`).join('\n'),
    data: { kind: 'rollback', green: { dir: state.greenDir, spec: state.greenSpec }, queues: counts, report: [] },
  };
}

/** Blue removed for good (containers, networks, volumes): only after the move is complete. */
async function retire(
  ctx: ActionContext,
  s: ClusterServices,
  state: MigrationState,
): Promise<{ ok: boolean; headline: string; text: string; data: MigrateData }> {
  if (!state.done.includes('drained')) {
    throw new RefusedError(
      `the migration is not complete (done: ${state.done.join(', ') || 'nothing'}); run \`migrate\` until blue is drained, or \`migrate rollback\``,
    );
  }
  const blue = ctx.cluster;
  await step(ctx, 'blue-down', `remove blue's containers, networks and data (${blue.manifest.project})`, () => s.compose.down(true));
  await clearMigrationState(blue.dir);
  return {
    ok: true,
    headline: `${blue.manifest.name} retired: the cluster is ${state.greenDir} now (spec ${state.greenSpec})`,
    text: `blue's folder ${blue.dir} is left as it was; remove it when you no longer need its backups and audit log`,
    data: { kind: 'retire', green: { dir: state.greenDir, spec: state.greenSpec }, queues: [], report: [] },
  };
}
