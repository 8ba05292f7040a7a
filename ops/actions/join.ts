import type { ClusterManifest } from '../../contract/manifest.js';
import { expectPositionals, readArgv } from '../args/argv.js';
import { nodeArg } from '../args/validators.js';
import { InvalidArgumentError, RefusedError } from '../errors.js';
import { clusterServices } from '../ops-tools.js';
import { containerOf, observeCluster } from '../rabbit/observe-cluster.js';
import { waitClustered } from '../rabbit/wait-for.js';
import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { step } from '../steps/step.js';

type Node = ClusterManifest['nodes'][number];
export interface JoinArgs {
  node: Node;
  to: Node;
  ram: boolean;
}

const USAGE = CATALOG.join.usage;

/**
 * (Re)join one node: stop_app, reset, join_cluster [--ram] <to>, start_app. Refused when the
 * target is down, or when resetting the node would leave the cluster without a running disc node.
 */
export interface JoinData {
  node: string;
  to: string;
  type: 'disc' | 'ram';
}

export const joinAction = defineAction<JoinArgs, JoinData>(CATALOG['join'], {
  parse(argv, manifest) {
    const p = readArgv(argv, { ram: 'boolean', disc: 'boolean', to: 'value' }, USAGE);
    const [name] = expectPositionals(p, 1, 1, USAGE);
    const node = nodeArg(name, manifest);
    if (p.flags.has('ram') && p.flags.has('disc')) throw new InvalidArgumentError('--ram and --disc together make no sense; pick one');
    const ram = p.flags.has('ram') ? true : p.flags.has('disc') ? false : node.type === 'ram';
    const toFlag = p.flags.get('to');
    const to = typeof toFlag === 'string' ? nodeArg(toFlag, manifest) : manifest.nodes.find((n) => n.type === 'disc' && n.name !== node.name);
    if (!to) throw new InvalidArgumentError(`no other disc node to join ${node.name} to; say which with --to <node>`);
    if (to.name === node.name) throw new InvalidArgumentError(`${node.name} cannot join itself; --to must name another node`);
    return { node, to, ram };
  },
  async run(ctx, args) {
    const s = await clusterServices(ctx.cluster, ctx.tools);
    const { node, to, ram } = args;
    const o = await step(ctx, 'check', `check ${to.name} and the disc nodes`, () => observeCluster(s, to));
    if (!o.status || o.asked?.name !== to.name || !o.status.runningNodes.includes(to.erlangNode)) {
      const why = containerOf(o.containers, to)?.state ?? 'no container';
      throw new RefusedError(
        `${to.name} is down (container: ${why}${o.silent.get(to.name) ? `; ${o.silent.get(to.name)}` : ''}); join needs a running target. Start it, or pick another with --to`,
      );
    }
    refuseLastDisc(o.status, node, ram);
    if (!o.containerUp.has(node.name))
      throw new RefusedError(`${node.name}'s container is not running; start it (rmq-compose restart ${node.name}) before joining it`);

    await step(ctx, 'stop_app', `stop_app on ${node.name}`, () => s.ctl.stopApp(node));
    await step(ctx, 'reset', `reset ${node.name}`, () => s.ctl.reset(node));
    await step(ctx, 'join_cluster', `join_cluster${ram ? ' --ram' : ''} ${to.erlangNode}`, () => s.ctl.joinCluster(node, to, ram));
    await step(ctx, 'start_app', `start_app on ${node.name}`, () => s.ctl.startApp(node));
    await step(ctx, 'clustered', `wait until ${node.name} runs in the cluster`, () => waitClustered(s, to, [to, node], ctx.signal));
    const type = ram ? 'ram' : 'disc';
    return {
      ok: true,
      headline: `${node.name} joined ${to.erlangNode} as a ${type} node`,
      text: `stop_app, reset, join_cluster${ram ? ' --ram' : ''} ${to.erlangNode}, start_app on ${node.name}: done`,
      data: { node: node.name, to: to.erlangNode, type },
    };
  },
});

/** reset takes the node out of the cluster first; some other disc node must keep running. */
export function refuseLastDisc(status: { discNodes: string[]; runningNodes: string[] }, node: Node, ram: boolean): void {
  if (!status.discNodes.includes(node.erlangNode)) return;
  const otherDisc = status.discNodes.filter((d) => d !== node.erlangNode);
  if (otherDisc.length === 0 && ram) {
    throw new RefusedError(`${node.name} is the only disc node of the cluster; making it a ram node would leave none. Join another node as disc first`);
  }
  if (!otherDisc.some((d) => status.runningNodes.includes(d))) {
    throw new RefusedError(
      `${node.name} is the last running disc node; resetting it would leave the cluster without one. Start another disc node first${otherDisc.length ? ` (${otherDisc.join(', ')})` : ''}`,
    );
  }
}
