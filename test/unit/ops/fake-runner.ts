import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterManifest } from '../../../contract/manifest.js';
import type { Command, CommandResult, CommandRunner } from '../../../ops/runner/command.js';
import type { OpsTools } from '../../../ops/ops-tools.js';

export type Reply = Partial<Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr' | 'timedOut'>>;

/**
 * A scripted CommandRunner: replies keyed by the command with the compose boilerplate stripped
 * ("exec -T rabbit1 rabbitmqctl stop_app"), first match wins; a list of replies is used in turn
 * (the last one repeats). Records every call; unscripted commands exit 127.
 */
export class ScriptedRunner implements CommandRunner {
  readonly calls: string[] = [];
  readonly commands: Command[] = [];
  constructor(private readonly script: Array<[RegExp | string, Reply | Reply[]]> = []) {}

  async run(command: Command): Promise<CommandResult> {
    const key = keyOf(command);
    this.calls.push(key);
    this.commands.push(command);
    const entry = this.script.find(([m]) => (typeof m === 'string' ? key === m : m.test(key)));
    let reply: Reply = { exitCode: 127, stderr: `unscripted: ${key}` };
    if (entry) {
      const r = entry[1];
      reply = Array.isArray(r) ? (r.length > 1 ? r.shift()! : r[0]!) : r;
    }
    return {
      command: key,
      exitCode: reply.exitCode ?? (reply.timedOut ? 124 : 0),
      stdout: reply.stdout ?? '',
      stderr: reply.stderr ?? '',
      durationMs: 1,
      timedOut: reply.timedOut ?? false,
    };
  }
}

export function keyOf(command: Command): string {
  const args = [...command.args];
  const env = args.indexOf('--env-file');
  const rest = env >= 0 ? args.slice(env + 2) : args;
  return rest.join(' ');
}

/** Compose v2 present; everything else as scripted. */
export const COMPOSE_V2: [string, Reply] = ['compose version --short', { stdout: '2.26.1' }];

/** An engine that answers deploy's pre-flight `docker version` (every host alike unless scripted before). */
export const ENGINE_VERSION = 'version --format {{.Server.Version}}';
export const ENGINE_UP: [string, Reply] = [ENGINE_VERSION, { stdout: '27.5.1' }];

/** Tools with the scripted runner, no network, and a fake clock that sleeps instantly. */
export function fakeTools(runner: CommandRunner, over: Partial<OpsTools> = {}): Partial<OpsTools> {
  let clock = 0;
  return {
    runner,
    probe: async () => false,
    http: async () => {
      throw new Error('no network in unit tests');
    },
    sleep: async (ms) => void (clock += ms),
    now: () => clock,
    waits: { pollMs: 1000, healthyMs: 10_000, clusteredMs: 10_000 },
    ...over,
  };
}

/** The container list as ComposeClient asks the engine for it (any project). */
export const PS = /^ps --all --no-trunc --filter label=com\.docker\.compose\.project=[a-z0-9_-]+ --format /;

export function psJson(rows: Array<[service: string, state: string, health?: string]>): Reply {
  const status = (state: string, health?: string) =>
    state === 'running' ? `Up 1 minute${health ? ` (${health === 'starting' ? 'health: starting' : health})` : ''}` : 'Exited (0) 1 minute ago';
  return { stdout: rows.map(([s, state, health]) => JSON.stringify({ name: `p-${s}-1`, state, status: status(state, health), service: s })).join('\n') };
}

export function clusterStatusJson(o: { disc: string[]; ram?: string[]; running: string[]; partitions?: Record<string, string[]>; version?: string }): Reply {
  return {
    stdout: JSON.stringify({
      alarms: [],
      cluster_name: o.disc[0],
      disk_nodes: o.disc,
      ram_nodes: o.ram ?? [],
      running_nodes: o.running,
      partitions: o.partitions ?? {},
      maintenance_status: Object.fromEntries(o.running.map((n) => [n, 'not under maintenance'])),
      versions: Object.fromEntries(o.running.map((n) => [n, { rabbitmq_name: 'RabbitMQ', rabbitmq_version: o.version ?? '3.13.7', erlang_version: '26.2' }])),
    }),
  };
}

/** A cluster folder holding just a manifest and a .env (nothing runs against it). */
export async function clusterDir(
  manifest: ClusterManifest,
  env = 'RABBITMQ_DEFAULT_PASS=pass-SECRET-1234\nRABBITMQ_ERLANG_COOKIE=COOKIESECRETCOOKIE\n',
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-ops-test-'));
  await writeFile(join(dir, 'rmq-compose.json'), JSON.stringify(manifest));
  await writeFile(join(dir, '.env'), env);
  return dir;
}

/** rabbit1–3 running and healthy, as `docker compose ps` lists them. */
export const THREE_UP: Reply = psJson([
  ['rabbit1', 'running', 'healthy'],
  ['rabbit2', 'running', 'healthy'],
  ['rabbit3', 'running', 'healthy'],
]);

/** A user's spec of the team's 4.0 cluster (comments kept by every edit), no load balancer. */
export const TEAM_SPEC_40 = `# the team's cluster
name: seed
rabbitmq:
  image: rabbitmq:4.0-management   # pinned by the platform team
  formation: auto
nodes: 3
loadBalancer: { enabled: false }
`;
