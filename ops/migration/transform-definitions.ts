import type { z } from 'zod';
import { parseVersionLike, type VersionLike } from '../../contract/rabbitmq-versions.js';
import type { ParsedVersion } from '../../contract/version-parse.js';
import { dotPath } from '../../lib/zod-issues.js';
import { InvalidArgumentError } from '../errors.js';
import type { Definitions } from '../../contract/definitions.js';
import { GlobalParameterEntry, ParameterEntry, PolicyEntry, QueueEntry, queueTypeOf } from './definition-entries.js';
import type { MigrationReport, PolicyOutcome, QueueAction, QueueOutcome } from './migration-report.js';
import { effectivePolicy, patternProblem, type PolicyContext } from './policy-match.js';
import { quorumArguments } from './quorum-arguments.js';
import {
  CLASSIC_UNSUPPORTED_POLICY_KEYS_4X,
  classicUnsupportedPolicyKeys3x,
  PARAMETER_PLUGINS,
  QUORUM_DEFAULT_DELIVERY_LIMIT,
  QUORUM_IGNORED_POLICY_KEYS,
  QUORUM_UNSUPPORTED_POLICY_KEYS,
} from './queue-type-facts.js';
import { policyForGreen, withoutRejectPublishDlx } from './transform-policies.js';

export interface TransformOptions {
  /** Green's RabbitMQ version (4.0 or later): it decides what the report says about priorities. */
  greenVersion: VersionLike;
  /**
   * Durable classic queues that no ha-* policy mirrors: "quorum" (the default; docs/quorum-queues
   * 4.x recommends them for durable data) or "classic" (kept as they are, one copy).
   */
  unmirrored?: 'quorum' | 'classic';
  /** Blue's version when the export does not carry rabbit_version. */
  blueVersion?: VersionLike;
  /**
   * Green sets default_queue_type = quorum and the relaxed redeclaration check (migrate's green
   * spec does), so clients redeclaring their queues without x-queue-type are fine: no warning.
   */
  redeclarationRelaxed?: boolean;
}

/** Fields naming blue's software; an import ignores them, but they would misdescribe the file. */
const BLUE_FIELDS = ['rabbit_version', 'rabbitmq_version', 'product_name', 'product_version'] as const;

/**
 * Blue's definitions (a 3.x export with classic queues mirrored by ha-* policies) as green's
 * (4.x, quorum queues), and a report of every decision. Pure: the input is not modified.
 * Users (with their password hashes), vhosts, permissions, exchanges, bindings and runtime
 * parameters pass unchanged; cluster_name and internal_* global parameters are dropped so green
 * keeps its own identity (3.10's export already leaves internal_* out: rabbit_definitions.erl
 * `is_internal_parameter`). Transforming the result again changes nothing.
 */
/** Every kind of entry an export holds, in its order: the report counts each, moved or not. */
const DEFINITION_KINDS = [
  'vhosts',
  'users',
  'permissions',
  'topic_permissions',
  'exchanges',
  'queues',
  'bindings',
  'policies',
  'operator_policies',
  'parameters',
  'global_parameters',
] as const;

export function transformForQuorum(blue: Definitions, options: TransformOptions): { definitions: Definitions; report: MigrationReport } {
  const green = parseVersionLike(options.greenVersion);
  if (!green || green.major < 4)
    throw new InvalidArgumentError(
      `green must run RabbitMQ 4.0 or later (quorum queues, no classic mirroring); got ${green?.text ?? String(options.greenVersion)}`,
    );
  const unmirrored = options.unmirrored ?? 'quorum';
  const warnings: string[] = [];
  const blueText =
    blue.rabbitmq_version ?? blue.rabbit_version ?? (options.blueVersion === undefined ? undefined : parseVersionLike(options.blueVersion)?.text);
  const blueVersion = blueText === undefined ? undefined : parseVersionLike(blueText);
  if (!blueVersion) warnings.push("blue's version is unknown (no rabbit_version in the export): policies were matched as 3.12 and 3.13 match them");

  const queues = entries(blue.queues, QueueEntry, 'queues').map((q, i) => ({ q, raw: blue.queues![i]! }));
  const bluePolicies = entries(blue.policies, PolicyEntry, 'policies');
  for (const p of bluePolicies) {
    const problem = patternProblem(p.pattern);
    if (problem)
      warnings.push(
        `policy ${p.name} (vhost ${p.vhost}): its pattern ${JSON.stringify(p.pattern)} ${problem}; it was taken to match no queue here, so check by hand which queues it mirrors`,
      );
  }

  const decided = queues.map(({ q, raw }) => decide(q, raw, bluePolicies, { blue: blueClassicContext(blueVersion), green, unmirrored }, warnings));
  const policies = greenPolicies(bluePolicies, decided, warnings);
  const outcomes = decided.map((d) => outcome(d, policies.kept, blueVersion !== undefined && blueVersion.major >= 4, warnings));
  if (!options.redeclarationRelaxed && outcomes.some((q) => q.action.kind === 'to-quorum')) {
    warnings.push(
      'clients that declare a converted queue again without x-queue-type (or with x-queue-type=classic) get PRECONDITION_FAILED ("inequivalent arg \'x-queue-type\'") on green unless its rabbitmq.conf sets quorum_queue.property_equivalence.relaxed_checks_on_redeclaration = true (docs/quorum-queues#relaxed-property-equivalence)',
    );
  }

  const globals = entries(blue.global_parameters, GlobalParameterEntry, 'global_parameters');
  const removedGlobalParameters = globals.filter((g) => isIdentityParameter(g.name)).map((g) => g.name);
  const parameters = entries(blue.parameters, ParameterEntry, 'parameters').map((p) => ({
    vhost: p.vhost,
    component: p.component,
    name: p.name,
    plugin: PARAMETER_PLUGINS[p.component],
  }));
  for (const p of parameters.filter((x) => x.component === 'shovel')) {
    warnings.push(
      `shovel ${p.name} (vhost ${p.vhost}) starts on green as soon as it is imported, while blue's copy still runs: decide whether green should have it`,
    );
  }

  const replaced: Record<string, unknown> = {
    queues: blue.queues === undefined ? undefined : decided.map((d) => d.entry),
    policies: blue.policies === undefined ? undefined : policies.kept,
    global_parameters: blue.global_parameters?.filter((_, i) => !isIdentityParameter(globals[i]!.name)),
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(blue)) {
    if ((BLUE_FIELDS as readonly string[]).includes(key)) continue;
    out[key] = key in replaced ? replaced[key] : value;
  }
  const skipped = outcomes.filter((q) => q.action.kind === 'not-imported').length;
  const why: Record<string, string> = {
    queues: 'named amq.*: the import skips them',
    policies: 'only ha-* keys: removed',
    global_parameters: "blue's identity: green keeps its own",
  };
  const kinds = DEFINITION_KINDS.map((kind) => {
    const blueCount = Array.isArray(blue[kind]) ? (blue[kind] as unknown[]).length : 0;
    const greenCount = (Array.isArray(out[kind]) ? (out[kind] as unknown[]).length : 0) - (kind === 'queues' ? skipped : 0);
    return { kind, blue: blueCount, green: greenCount, ...(greenCount < blueCount && why[kind] ? { why: why[kind] } : {}) };
  });
  return {
    definitions: out as Definitions,
    report: {
      kinds,
      blueVersion: blueVersion?.text,
      greenVersion: green.text,
      unmirrored,
      queues: outcomes,
      policies: policies.outcomes,
      removedFields: BLUE_FIELDS.filter((k) => blue[k] !== undefined),
      removedGlobalParameters,
      parameters,
      warnings,
    },
  };
}

function entries<T extends z.ZodType>(list: unknown[] | undefined, schema: T, field: string): z.infer<T>[] {
  return (list ?? []).map((item, i) => {
    const r = schema.safeParse(item);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    throw new InvalidArgumentError(`the blue definitions: ${dotPath([field, i, ...issue.path])}: ${issue.message}`);
  });
}

/** rabbit_definitions.erl (3.10.8) leaves "internal*" global parameters out of exports; cluster_name is blue's name. */
function isIdentityParameter(name: string): boolean {
  return name === 'cluster_name' || name.startsWith('internal');
}

function blueClassicContext(blue: ParsedVersion | undefined): PolicyContext {
  const unsupported = blue && blue.major >= 4 ? CLASSIC_UNSUPPORTED_POLICY_KEYS_4X : classicUnsupportedPolicyKeys3x(blue?.major === 3 ? blue.minor : 12);
  return { queueType: 'classic', unsupported };
}

interface Decided {
  queue: QueueEntry;
  /** The queue as green's definitions hold it. */
  entry: Record<string, unknown>;
  blueType: string;
  greenType: string;
  action: QueueAction;
  bluePolicy: QueueOutcome['bluePolicy'];
  argumentChanges: QueueOutcome['argumentChanges'];
  notes: string[];
}

interface DecideContext {
  blue: PolicyContext;
  green: ParsedVersion;
  unmirrored: 'quorum' | 'classic';
}

function decide(q: QueueEntry, raw: Record<string, unknown>, policies: PolicyEntry[], context: DecideContext, warnings: string[]): Decided {
  const blueType = queueTypeOf(q);
  const base = { queue: q, entry: raw, blueType, greenType: blueType, bluePolicy: undefined, argumentChanges: [], notes: [] };
  if (q.name.startsWith('amq.')) return { ...base, action: { kind: 'not-imported', why: 'amq-prefix' } };
  if (blueType !== 'classic') {
    // a quorum queue on 3.x skipped every policy holding an ha-* key; green's stripped policies may now reach it
    const winner = blueType === 'quorum' ? effectivePolicy(q, policies, greenContext('quorum')).winner : undefined;
    return {
      ...base,
      bluePolicy: winner && { name: winner.name },
      action: { kind: 'unchanged', why: blueType === 'quorum' ? 'already-quorum' : blueType === 'stream' ? 'stream' : 'other-type' },
    };
  }

  const match = effectivePolicy(q, policies, context.blue);
  const haMode = match.winner?.definition['ha-mode'];
  const bluePolicy = match.winner && { name: match.winner.name, ...(haMode !== undefined ? { haMode, haParams: match.winner.definition['ha-params'] } : {}) };
  if (match.tiedWith.length > 0) {
    warnings.push(
      `${q.name} (vhost ${q.vhost}): policies ${[match.winner!, ...match.tiedWith].map((p) => p.name).join(', ')} share priority ${match.winner!.priority}; RabbitMQ applies any one of them, this report took ${match.winner!.name}`,
    );
  }
  const cannot = q.exclusive ? 'exclusive' : !q.durable ? 'non-durable' : q.auto_delete ? 'auto-delete' : undefined;
  const asClassic = (why: 'exclusive' | 'non-durable' | 'auto-delete' | 'unmirrored', notes: string[] = []): Decided => ({
    ...base,
    bluePolicy,
    // explicit, so a default queue type set on green's vhost does not turn it into something else
    entry: { ...raw, arguments: { ...q.arguments, 'x-queue-type': 'classic' } },
    action: { kind: 'classic', why },
    notes,
  });
  if (cannot) return asClassic(cannot, haMode !== undefined ? ['green has no mirroring: one copy, on the node that declares it'] : []);
  if (haMode === undefined && context.unmirrored === 'classic') return asClassic('unmirrored');

  const converted = quorumArguments(q.arguments, context.green);
  return {
    ...base,
    bluePolicy,
    greenType: 'quorum',
    entry: { ...raw, ...(q.type !== undefined ? { type: 'quorum' } : {}), arguments: converted.arguments },
    action: { kind: 'to-quorum', why: haMode !== undefined ? 'mirrored' : 'unmirrored' },
    argumentChanges: converted.changes,
  };
}

/** Blue's policies as green takes them, and `overflow: reject-publish-dlx` settled where quorum queues meet it. */
function greenPolicies(blue: PolicyEntry[], decided: Decided[], warnings: string[]): { kept: PolicyEntry[]; outcomes: PolicyOutcome[] } {
  const kept: PolicyEntry[] = [];
  const outcomes: PolicyOutcome[] = [];
  const stripped = blue.map((p) => ({ before: p, ...policyForGreen(p) }));
  const survivors = stripped.flatMap((s) => (s.policy ? [s.policy] : []));
  for (const s of stripped) {
    let policy = s.policy;
    const changes = [...s.changes];
    if (policy && policy.definition.overflow === 'reject-publish-dlx') {
      const governed = decided.filter(governedByPolicies).filter((d) => effectivePolicy(d.queue, survivors, greenContext(d.greenType)).winner === s.policy);
      const quorum = governed.filter((d) => d.greenType === 'quorum').map((d) => d.queue.name);
      const classic = governed.filter((d) => d.greenType === 'classic').map((d) => d.queue.name);
      if (quorum.length > 0 && classic.length === 0) {
        const rewritten = withoutRejectPublishDlx(policy);
        policy = rewritten.policy;
        changes.push(rewritten.change!);
      } else if (quorum.length > 0) {
        warnings.push(
          `policy ${policy.name} (vhost ${policy.vhost}) sets overflow reject-publish-dlx for classic queues (${classic.join(', ')}) and quorum queues (${quorum.join(', ')}); the quorum ones fall back to drop-head: split the policy by hand`,
        );
      }
    }
    if (policy) kept.push(policy);
    outcomes.push({
      vhost: s.before.vhost,
      name: s.before.name,
      result: !policy ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged',
      changes,
      kept: policy ? Object.keys(policy.definition) : [],
    });
  }
  return { kept, outcomes };
}

/** Queues green creates whose policy this module follows: classic and quorum ones (streams and skipped amq.* are left alone). */
function governedByPolicies(d: Decided): boolean {
  return d.action.kind !== 'not-imported' && (d.greenType === 'classic' || d.greenType === 'quorum');
}

function greenContext(greenType: string): PolicyContext {
  return { queueType: greenType, unsupported: greenType === 'quorum' ? QUORUM_UNSUPPORTED_POLICY_KEYS : CLASSIC_UNSUPPORTED_POLICY_KEYS_4X };
}

/** The queue's line in the report: what changes on green beyond its arguments (policy in effect, delivery limit: 3.x had none by default). */
function outcome(d: Decided, policies: PolicyEntry[], blueIs4x: boolean, warnings: string[]): QueueOutcome {
  const { queue: q, argumentChanges } = d;
  const notes = [...d.notes];
  let greenPolicy: string | undefined;
  if (governedByPolicies(d)) {
    const match = effectivePolicy(q, policies, greenContext(d.greenType));
    greenPolicy = match.winner?.name;
    if (greenPolicy !== d.bluePolicy?.name) notes.push(`policy in effect: ${d.bluePolicy?.name ?? 'none'} on blue, ${greenPolicy ?? 'none'} on green`);
    if (match.tiedWith.length > 0)
      warnings.push(
        `${q.name} (vhost ${q.vhost}) on green: policies ${[match.winner!, ...match.tiedWith].map((p) => p.name).join(', ')} share priority ${match.winner!.priority}; RabbitMQ applies any one of them`,
      );
    if (d.greenType === 'quorum') {
      const ignored = Object.keys(match.winner?.definition ?? {}).filter((k) => QUORUM_IGNORED_POLICY_KEYS.has(k));
      if (ignored.length > 0) notes.push(`quorum queues ignore ${ignored.join(', ')} of policy ${greenPolicy}`);
      if (!blueIs4x && q.arguments['x-delivery-limit'] === undefined && match.winner?.definition['delivery-limit'] === undefined) {
        notes.push(
          `delivery limit ${QUORUM_DEFAULT_DELIVERY_LIMIT} (4.0+ default): a message redelivered more often is dead-lettered or dropped; a policy with delivery-limit -1 keeps the classic behaviour`,
        );
      }
    }
  }
  return {
    vhost: q.vhost,
    name: q.name,
    blueType: d.blueType,
    greenType: d.greenType,
    action: d.action,
    bluePolicy: d.bluePolicy,
    greenPolicy,
    argumentChanges,
    notes,
  };
}
