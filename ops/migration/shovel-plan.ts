import { createHash } from 'node:crypto';
import { parseVersionLike, type VersionLike } from '../../contract/rabbitmq-versions.js';
import { InvalidArgumentError } from '../errors.js';
import type { Definitions } from '../../contract/definitions.js';
import { maskAmqpUri, uriSecrets } from './amqp-uri.js';
import type { QueueOutcome } from './migration-report.js';

/**
 * One dynamic shovel per moved queue, blue → green: the values of
 * `rabbitmqctl set_parameter -p <vhost> shovel <name> '<json>'`.
 *
 * Keys, from docs/shovel-dynamic (4.0) and the validator that accepts them
 * (rabbitmq-server deps/rabbitmq_shovel/src/rabbit_shovel_parameters.erl, v3.10.8 and v4.0.5):
 * - ack-mode on-confirm: "messages are acknowledged to the source broker after they have been
 *   confirmed by the destination": nothing is lost, but a reconnect can deliver twice.
 * - src-delete-after never (what migrate uses: clients publish to blue until the load balancer is
 *   handed over, so the shovels run until blue is empty after that, and are then removed), or
 *   queue-length (the default here): the shovel "will measure the length of the source queue when
 *   starting up" and delete itself after moving that many; later publishes stay on blue.
 * - dest-add-forward-headers false: the messages arrive as they were published.
 * - src-predeclared / dest-predeclared true (4.0.0 on; a 3.x validator refuses the keys as
 *   "Unrecognised terms"): the shovel only checks that the queues exist. Without them, a queue
 *   missing on green would be declared "a classic durable queue with no optional arguments".
 * The docs' blue-green guide (docs/blue-green-upgrade, "Drain Messages") runs the shovels on green.
 */

export interface ShovelValue {
  'src-protocol': 'amqp091';
  'src-uri': string;
  'src-queue': string;
  'dest-protocol': 'amqp091';
  'dest-uri': string;
  'dest-queue': string;
  'ack-mode': 'on-confirm';
  'src-delete-after': 'queue-length' | 'never';
  'dest-add-forward-headers': false;
  'src-prefetch-count': number;
  'reconnect-delay': number;
  'src-predeclared'?: true;
  'dest-predeclared'?: true;
}

export interface ShovelPlanEntry {
  /** The vhost the parameter is set in on the cluster that runs the shovel: the queue's own. */
  vhost: string;
  name: string;
  queue: string;
  value: ShovelValue;
  /** Strings inside `value` (the URIs' passwords, as written and decoded) never to be shown or logged. */
  secrets: string[];
}

export interface ShovelPlan {
  entries: ShovelPlanEntry[];
  skipped: Array<{ vhost: string; queue: string; why: string }>;
}

/** The URIs the orchestration built for one vhost: blue's queue and green's (amqp-uri.ts `amqpUri`). */
export interface VhostEndpoints {
  vhost: string;
  srcUri: string;
  destUri: string;
}

export interface ShovelPlanOptions {
  /** Version of the cluster the shovels run on (green, per the docs); 4.0+ gets the predeclared keys. */
  hostVersion: VersionLike;
  /** Default 1000, the plugin's own. */
  prefetch?: number;
  /** Seconds; default 5. */
  reconnectDelay?: number;
  /** Default "rmq-compose-migrate". */
  prefix?: string;
  /** When a shovel stops by itself; default queue-length (what was there when it started). */
  deleteAfter?: 'queue-length' | 'never';
}

export function planShovels(
  queues: readonly Pick<QueueOutcome, 'vhost' | 'name' | 'action' | 'greenType'>[],
  endpoints: readonly VhostEndpoints[],
  options: ShovelPlanOptions,
): ShovelPlan {
  const host = parseVersionLike(options.hostVersion);
  if (!host) throw new InvalidArgumentError(`"${String(options.hostVersion)}" is not a RabbitMQ version`);
  const skipped: ShovelPlan['skipped'] = [];
  const moved = queues.filter((q) => {
    const why = skipReason(q);
    if (why) skipped.push({ vhost: q.vhost, queue: q.name, why });
    return why === undefined;
  });
  const names = shovelNames(moved, options.prefix ?? 'rmq-compose-migrate');
  const entries = moved.map((q, i) => {
    const ends = endpoints.find((e) => e.vhost === q.vhost);
    if (!ends) throw new InvalidArgumentError(`no AMQP URIs for vhost "${q.vhost}" (queue ${q.name}); give one source and one destination URI per vhost`);
    const value: ShovelValue = {
      'src-protocol': 'amqp091',
      'src-uri': ends.srcUri,
      'src-queue': q.name,
      'dest-protocol': 'amqp091',
      'dest-uri': ends.destUri,
      'dest-queue': q.name,
      'ack-mode': 'on-confirm',
      'src-delete-after': options.deleteAfter ?? 'queue-length',
      'dest-add-forward-headers': false,
      'src-prefetch-count': options.prefetch ?? 1000,
      'reconnect-delay': options.reconnectDelay ?? 5,
      ...(host.major >= 4 ? { 'src-predeclared': true as const, 'dest-predeclared': true as const } : {}),
    };
    return { vhost: q.vhost, name: names[i]!, queue: q.name, value, secrets: [...new Set([...uriSecrets(ends.srcUri), ...uriSecrets(ends.destUri)])] };
  });
  return { entries, skipped };
}

function skipReason(q: Pick<QueueOutcome, 'action' | 'greenType'>): string | undefined {
  if (q.action.kind === 'not-imported') return 'the import skips amq.* queues, so green has no such queue';
  if (q.greenType === 'stream') return 'a stream keeps its messages after they are read: a shovel would copy them, not move them';
  if (q.action.kind === 'classic' && q.action.why === 'exclusive') return 'an exclusive queue can be read only by its own connection';
  return undefined;
}

/**
 * `<prefix>-<queue>`, with every character outside [A-Za-z0-9._-] replaced by "_" (the name
 * reaches command lines and logs). A name that had to change, or was cut to keep it under 200
 * characters, gets the first 10 hex digits of its SHA-256, so "a b" and "a/b" stay apart; any
 * clash left within a vhost gets -2, -3, … in name order. Same queues in, same names out.
 */
export function shovelNames(queues: readonly { vhost: string; name: string }[], prefix: string): string[] {
  const base = queues.map((q) => {
    const safe = q.name.replace(/[^A-Za-z0-9._-]/g, '_');
    const cut = safe.slice(0, 200);
    const plain = `${prefix}-${cut}`;
    return cut === q.name ? plain : `${plain}-${createHash('sha256').update(q.name).digest('hex').slice(0, 10)}`;
  });
  const order = queues.map((_, i) => i).sort((a, b) => (queues[a]!.name < queues[b]!.name ? -1 : queues[a]!.name > queues[b]!.name ? 1 : 0));
  const taken = new Set<string>();
  const out: string[] = [];
  for (const i of order) {
    let name = base[i]!;
    for (let n = 2; taken.has(`${queues[i]!.vhost}\u0000${name}`); n++) name = `${base[i]}-${n}`;
    taken.add(`${queues[i]!.vhost}\u0000${name}`);
    out[i] = name;
  }
  return out;
}

/** The plan as lines to show a person: URIs masked, and every listed secret replaced wherever it appears. */
export function renderShovelPlan(plan: ShovelPlan): string[] {
  const lines = plan.entries.map((e) => {
    const value = { ...e.value, 'src-uri': maskAmqpUri(e.value['src-uri']), 'dest-uri': maskAmqpUri(e.value['dest-uri']) };
    let text = `shovel ${e.name} (vhost ${e.vhost}): ${JSON.stringify(value)}`;
    for (const secret of [...e.secrets].sort((a, b) => b.length - a.length)) text = text.split(secret).join('****');
    return text;
  });
  for (const s of plan.skipped) lines.push(`no shovel for ${s.queue} (vhost ${s.vhost}): ${s.why}`);
  return lines;
}

/**
 * The plan as a definitions file holding only the shovel parameters. Importing it (as
 * ops/rabbit/definitions.ts `importDefinitions` does: a 0600 file, removed afterwards) keeps the
 * passwords off command lines, where `set_parameter` would show them in the process list.
 */
export function shovelDefinitions(plan: ShovelPlan): Definitions {
  return { parameters: plan.entries.map((e) => ({ vhost: e.vhost, component: 'shovel', name: e.name, value: e.value })) };
}
