import { UserError } from '../../../../lib/errors.js';
import type { ActionDefinition, ActionResult, StatusData } from '../../../../ops/index.js';
import type { ClusterManifest } from '../../../../contract/manifest.js';

export const BOT_TOKEN = 'xoxb-1111-2222-SECRETBOTTOKEN';
/** Socket Mode's app-level token (connections:write). */
export const APP_TOKEN = 'xapp-1-A0TEST-3333-SECRETAPPTOKEN';
export { TEST_SIGNING_SECRET as SIGNING_SECRET } from '../../../support/signed-request.js';
export const CLUSTER_PASSWORD = 'Sup3r-Secret-Pass';
export const CLUSTER_COOKIE = 'cookie-cookie-cookie';

function nodeArg(argv: readonly string[], manifest: ClusterManifest): { node: string } {
  const node = argv[0];
  if (!node) throw new UserError('say which node, e.g. rabbit2');
  if (!manifest.nodes.some((n) => n.name === node)) throw new UserError(`unknown node "${node}"; nodes: ${manifest.nodes.map((n) => n.name).join(', ')}`);
  return { node };
}

/** A gate a test opens when it wants a running action to finish. */
export class Gate {
  #open!: () => void;
  readonly opened = new Promise<void>((r) => (this.#open = r));
  open(): void {
    this.#open();
  }
}

export interface FakeActionState {
  runs: Array<{ action: string; args: unknown; actor: string }>;
  restartGate: Gate | undefined;
  logLines: number;
}

const ok = (headline: string, text = '', data: unknown = null): ActionResult => ({ ok: true, headline, text, data });

/** Real ActionDefinition objects whose run() works in memory and records what ran. */
export function fakeActions(state: FakeActionState): ActionDefinition[] {
  const record = (action: string, args: unknown, actor: string) => state.runs.push({ action, args, actor });
  const status: ActionDefinition<Record<string, never>> = {
    name: 'status',
    usage: 'status [cluster]',
    summary: 'nodes, alarms, partitions',
    mutating: false,
    dangerous: false,
    parse: () => ({}),
    run: async (ctx) => {
      record('status', {}, ctx.actor.id);
      const data: StatusData = {
        cluster: ctx.cluster.manifest.name,
        version: '3.13.7',
        nodes: [
          { name: 'rabbit1', running: true, type: 'disc', version: '3.13.7', alarms: [], container: 'running', clustered: true },
          { name: 'rabbit2', running: true, type: 'ram', version: '3.13.7', alarms: ['memory'], container: 'running', clustered: true },
          { name: 'rabbit3', running: false, type: 'ram', alarms: [], container: 'exited', clustered: false },
        ],
        partitions: [],
        queues: {
          kind: 'classic mirrored',
          total: 4,
          states: { 'no-majority': 0, lagging: 1, 'in-sync': 3, unreplicated: 0 },
          unhealthy: ['orders (1 unsynchronised mirror)'],
        },
        loadBalancer: { listeners: [{ instance: 'lb1', protocol: 'amqp', port: 5670, address: '127.0.0.1', reachable: true }], vipHolder: 'lb1' },
        source: 'management API (fake)',
        healthy: false,
      };
      return ok(`${ctx.cluster.manifest.name}: 2/3 nodes running`, 'rabbit1 running\nrabbit2 running\nrabbit3 down', data);
    },
  };
  const restart: ActionDefinition<{ node: string }> = {
    name: 'restart',
    usage: 'restart <node>',
    summary: 'restart one node',
    mutating: true,
    dangerous: false,
    parse: nodeArg,
    run: async (ctx, args) => {
      record('restart', args, ctx.actor.id);
      ctx.progress({ id: 'stop', title: `stop ${args.node}`, state: 'running' });
      ctx.progress({ id: 'stop', title: `stop ${args.node}`, state: 'done' });
      ctx.progress({ id: 'start', title: `start ${args.node}`, state: 'running' });
      if (state.restartGate) await state.restartGate.opened;
      ctx.progress({ id: 'start', title: `start ${args.node}`, state: 'done' });
      return ok(`${args.node} restarted`, `${args.node} is running again`);
    },
  };
  const drain: ActionDefinition<{ node: string }> = {
    name: 'drain',
    usage: 'drain <node>',
    summary: 'put a node in maintenance mode',
    mutating: true,
    dangerous: true,
    parse: nodeArg,
    run: async (ctx, args) => {
      record('drain', args, ctx.actor.id);
      return ok(`${args.node} drained`);
    },
  };
  const logs: ActionDefinition<{ node: string }> = {
    name: 'logs',
    usage: 'logs <node>',
    summary: 'recent log lines',
    mutating: false,
    dangerous: false,
    parse: nodeArg,
    run: async (ctx, args) => {
      record('logs', args, ctx.actor.id);
      const lines = Array.from(
        { length: state.logLines },
        (_, i) => `2024-01-01 00:00:${String(i % 60).padStart(2, '0')} [info] <0.${i}.0> line ${i} of the log`,
      );
      return ok(`${args.node}: ${state.logLines} log lines`, `${lines.join('\n')}\nEND-OF-LOG-MARKER`);
    },
  };
  const boom: ActionDefinition<Record<string, never>> = {
    name: 'boom',
    usage: 'boom',
    summary: 'fails unexpectedly',
    mutating: false,
    dangerous: false,
    parse: () => ({}),
    run: async () => {
      throw new Error(`connect failed with token ${BOT_TOKEN} and password ${CLUSTER_PASSWORD}`);
    },
  };
  const oops: ActionDefinition<Record<string, never>> = {
    name: 'oops',
    usage: 'oops',
    summary: 'fails with a user error',
    mutating: false,
    dangerous: false,
    parse: () => ({}),
    run: async () => {
      throw new UserError('rabbit9 is not part of this cluster (as written)');
    },
  };
  // echoes what it was given, as the real mirror-policy does in its result text
  const policy: ActionDefinition<{ words: readonly string[] }> = {
    name: 'mirror-policy',
    usage: 'mirror-policy set <name> <pattern>',
    summary: 'set a policy',
    mutating: true,
    dangerous: false,
    parse: (argv) => ({ words: argv }),
    run: async (ctx, args) => {
      record('mirror-policy', args, ctx.actor.id);
      return ok(`policy ${args.words[1] ?? '?'} set to ${args.words[2] ?? '?'}`, `set_policy ${args.words.join(' ')}`);
    },
  };
  return [status, restart, drain, logs, boom, oops, policy] as ActionDefinition[];
}
