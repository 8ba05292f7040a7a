import type { ArgumentChange } from './quorum-arguments.js';
import type { PolicyKeyChange } from './transform-policies.js';

/** What happens to one queue on green, and why. */
export type QueueAction =
  | { kind: 'to-quorum'; why: 'mirrored' | 'unmirrored' }
  | { kind: 'classic'; why: 'exclusive' | 'non-durable' | 'auto-delete' | 'unmirrored' }
  | { kind: 'unchanged'; why: 'already-quorum' | 'stream' | 'other-type' }
  /** rabbit_definitions.erl add_queue_int: "Skipping import of a queue whose name begins with 'amq.'". */
  | { kind: 'not-imported'; why: 'amq-prefix' };

export interface QueueOutcome {
  vhost: string;
  name: string;
  blueType: string;
  /** The type the queue has on green; the blue type for queues the import skips. */
  greenType: string;
  action: QueueAction;
  /** The policy in effect on blue; `haMode` when it mirrored the queue. */
  bluePolicy: { name: string; haMode?: unknown; haParams?: unknown } | undefined;
  /** The policy in effect on green, after the policies were changed. */
  greenPolicy: string | undefined;
  argumentChanges: ArgumentChange[];
  /** Behaviour that differs on green beyond the arguments (policy in effect, delivery limit, …). */
  notes: string[];
}

export interface PolicyOutcome {
  vhost: string;
  name: string;
  result: 'removed' | 'changed' | 'unchanged';
  changes: PolicyKeyChange[];
  /** Keys left in the definition (for the reader of a changed policy). */
  kept: string[];
}

/** A runtime parameter (kept) whose component needs a plugin on green, or that moves messages itself. */
export interface ParameterFinding {
  vhost: string;
  component: string;
  name: string;
  /** The plugin green must have enabled before the import, or the import fails ("component … not found"). */
  plugin: string | undefined;
}

/** One kind of definitions entry: how many blue has, how many green gets, and why any stay behind. */
export interface KindCount {
  kind: string;
  blue: number;
  green: number;
  why?: string;
}

export interface MigrationReport {
  blueVersion: string | undefined;
  greenVersion: string;
  unmirrored: 'quorum' | 'classic';
  queues: QueueOutcome[];
  policies: PolicyOutcome[];
  /** Top-level fields dropped (rabbit_version, …). */
  removedFields: string[];
  /** Global parameters dropped so green keeps its own identity. */
  removedGlobalParameters: string[];
  parameters: ParameterFinding[];
  /** Every kind of entry, moved or not, in export order (vhosts, users, permissions, …). */
  kinds: KindCount[];
  /** Things a person must decide or check by hand. */
  warnings: string[];
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const where = (o: { name: string; vhost: string }) => `${o.name} (vhost ${o.vhost})`;

function queueHeadline(q: QueueOutcome): string {
  const by = q.bluePolicy?.haMode !== undefined ? `mirrored by ${q.bluePolicy.name}` : 'not mirrored';
  switch (q.action.kind) {
    case 'to-quorum':
      return q.action.why === 'mirrored' ? `classic ${by} → quorum` : 'classic, not mirrored → quorum (4.x recommends quorum queues for durable data)';
    case 'classic': {
      const why = { exclusive: 'exclusive', 'non-durable': 'non-durable', 'auto-delete': 'auto-delete', unmirrored: 'not mirrored' }[q.action.why];
      const tail = q.action.why === 'unmirrored' ? 'kept classic, as asked' : 'stays classic: a quorum queue cannot be that';
      return `classic, ${why}${q.bluePolicy?.haMode !== undefined && q.action.why !== 'unmirrored' ? `, ${by}` : ''} → ${tail}`;
    }
    case 'unchanged':
      return q.action.why === 'already-quorum' ? 'already quorum, unchanged' : `${q.blueType}, unchanged`;
    case 'not-imported':
      return 'named amq.*: the import skips it';
  }
}

function argumentLine(c: ArgumentChange): string {
  if (c.action === 'replaced') return `${c.key} ${show(c.from)} → ${c.toKey} ${show(c.to)}: ${c.why}`;
  if (c.action === 'changed') return `${c.key} ${show(c.from)} → ${show(c.to)}: ${c.why}`;
  return `${c.key} ${show(c.from)} ${c.action}: ${c.why}`;
}

function policyLine(p: PolicyOutcome): string {
  if (p.result === 'unchanged') return `policy ${where(p)}: unchanged`;
  const dropped = p.changes.filter((c) => c.action === 'dropped').map((c) => c.key);
  if (p.result === 'removed') {
    const what = dropped.every((k) => k.startsWith('ha-')) ? 'only ha-* keys' : `only keys green drops (${dropped.join(', ')})`;
    return `policy ${where(p)}: ${what}, removed`;
  }
  const parts = p.changes.map((c) =>
    c.action === 'dropped'
      ? `${c.key} dropped`
      : c.action === 'replaced'
        ? `${c.key} ${show(c.from)} → ${c.toKey} ${show(c.to)}`
        : `${c.key} ${show(c.from)} → ${show(c.to)}`,
  );
  return `policy ${where(p)}: ${parts.join(', ')}; keeps ${p.kept.join(', ')}`;
}

/** The report as lines a person reads before the import (no secrets: parameter values are never shown). */
export function renderMigrationReport(report: MigrationReport): string[] {
  const count = (kind: QueueAction['kind']) => report.queues.filter((q) => q.action.kind === kind).length;
  const lines = [
    `definitions for green (RabbitMQ ${report.greenVersion}) from blue (${report.blueVersion ?? 'version unknown'}): ${count('to-quorum')} queue(s) to quorum, ${count('classic')} classic, ${count('unchanged')} unchanged, ${count('not-imported')} skipped by the import; unmirrored durable classic queues → ${report.unmirrored}`,
  ];
  const kinds = report.kinds.filter((k) => k.blue > 0);
  if (kinds.length > 0)
    lines.push(
      `moved per kind (blue → green): ${kinds.map((k) => `${k.kind.replace(/_/g, ' ')} ${k.blue}${k.green === k.blue ? '' : ` → ${k.green}${k.why ? ` (${k.why})` : ''}`}`).join(', ')}`,
    );
  for (const q of report.queues) {
    lines.push(`${where(q)}: ${queueHeadline(q)}`);
    for (const c of q.argumentChanges) lines.push(`  ${argumentLine(c)}`);
    for (const n of q.notes) lines.push(`  note: ${n}`);
  }
  for (const p of report.policies) lines.push(policyLine(p));
  for (const name of report.removedGlobalParameters) lines.push(`global parameter ${name}: removed (green keeps its own)`);
  if (report.removedFields.length > 0) lines.push(`${report.removedFields.join(', ')}: removed (they describe blue)`);
  for (const p of report.parameters) {
    lines.push(`${p.component} parameter ${where(p)}: kept${p.plugin ? `; green needs ${p.plugin} enabled before the import, or the import fails` : ''}`);
  }
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return lines;
}
