import leven from 'leven';
import type { z } from 'zod';
import { CONTROL_CHARACTER } from '../contract/names.js';
import type { Finding } from './findings.js';

/** `['nodes', 2, 'name']` → `nodes[2].name` */
export function dotPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/**
 * A path for a message: a key holding a control character is shown JSON-quoted (as
 * generator/spec/control-characters.ts names it), never raw on a terminal.
 */
export function shownPath(path: ReadonlyArray<PropertyKey>): string {
  return dotPath(path.map((key) => (typeof key === 'string' && CONTROL_CHARACTER.test(key) ? JSON.stringify(key) : key)));
}

/** The value at `path` inside a parsed input, undefined where the path leads nowhere. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A value from the input, shown in a message: JSON-quoted, control characters escaped, cut when long. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  const quoted = typeof value === 'string' ? JSON.stringify(cut) : cut;
  // JSON escapes C0 controls; C1 controls and the line separators would still reach a terminal raw
  return quoted.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The candidate a mistyped word most likely meant, or undefined when none is close: at most two
 * edits (or a third of the word, for long ones), case ignored, and fewer edits than the word has
 * letters, so that "ab" does not "mean" "cd".
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = leven(lower, candidate.toLowerCase(), { maxDistance: limit + 1 });
    if (distance > limit || distance >= Math.min(word.length, candidate.length)) continue;
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best?.candidate;
}

/** What a message says after "is required" and where it sends people to read the allowed keys. */
export interface IssueHints {
  /** e.g. 'see `rmq-compose init` for a starter spec' */
  required: string;
  /** The command that prints the JSON Schema of this input, e.g. 'rmq-compose schema'. */
  schemaCommand: string;
}

export const SPEC_HINTS: IssueHints = { required: 'see `rmq-compose init` for a starter spec', schemaCommand: 'rmq-compose schema' };

/**
 * One problem at one leaf of the input, and how a lenient second pass takes it out: delete the
 * value (the schema's default or absence takes its place), or put the close match there.
 */
export interface LeafIssue {
  path: PropertyKey[];
  message: string;
  repair: { kind: 'delete' } | { kind: 'rename'; to: string } | { kind: 'replace'; value: string } | { kind: 'none' };
  /** A refinement (code custom) rather than a shape. */
  custom: boolean;
}

/**
 * Zod reports a union mismatch as every branch's complaint; users want the branch they meant.
 * A branch whose only complaint is the value itself, at the union's own path (wrong type, or not
 * its literal), is not meant when another branch got further; a literal's complaint beats a type's.
 */
function pickUnionBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  const shallow = (i: z.core.$ZodIssue) => i.path.length === 0 && ((i.code === 'invalid_type' && i.expected !== 'int') || i.code === 'invalid_value');
  return branches.find((issues) => !issues.every(shallow)) ?? branches.find((issues) => issues.some((i) => i.code !== 'invalid_type'));
}

type AnySchema = z.core.$ZodType;
type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: AnySchema): Def => schema._zod.def as unknown as Def;

/** The schemas a value may be checked against, wrappers (optional, default, pipe…) peeled and unions spread. */
function shapesOf(schema: AnySchema, seen = new Set<AnySchema>()): AnySchema[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return shapesOf(def.innerType as AnySchema, seen);
    case 'pipe':
      return shapesOf(def.in as AnySchema, seen);
    case 'lazy':
      return shapesOf((def.getter as () => AnySchema)(), seen);
    case 'union':
      return (def.options as AnySchema[]).flatMap((option) => shapesOf(option, seen));
    default:
      return [schema];
  }
}

function childSchemas(schema: AnySchema, key: PropertyKey): AnySchema[] {
  const out: AnySchema[] = [];
  for (const shape of shapesOf(schema)) {
    const def = defOf(shape);
    if (def.type === 'object' && typeof key === 'string') {
      const child = (def.shape as Record<string, AnySchema>)[key];
      if (child) out.push(child);
    } else if (def.type === 'array' && typeof key === 'number') out.push(def.element as AnySchema);
    else if (def.type === 'record' && typeof key === 'string') out.push(def.valueType as AnySchema);
    else if (def.type === 'tuple' && typeof key === 'number') {
      const item = (def.items as AnySchema[])[key];
      if (item) out.push(item);
    }
  }
  return out;
}

/** The keys the schema allows in the mapping at `path` (every object a union there offers). */
export function knownKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let level = [schema];
  for (const key of path) level = level.flatMap((s) => childSchemas(s, key));
  const keys = new Set<string>();
  for (const shape of level.flatMap((s) => shapesOf(s))) {
    const def = defOf(shape);
    if (def.type === 'object') for (const key of Object.keys(def.shape as object)) keys.add(key);
  }
  return [...keys];
}

/** Zod's own English messages ("Invalid input: …", "Too small: …"), as opposed to the ones our schemas give. */
function isZodDefault(message: string): boolean {
  return /^(Invalid|Too (big|small)|Unrecognized|Expected)\b/.test(message);
}

function humanize(issue: z.core.$ZodIssue, value: unknown): string {
  if (!isZodDefault(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_value':
      return `${shown(value)} is not one of ${issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'boolean') return 'must be true or false';
      return `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
      if (issue.origin === 'string') return `must be ${word} ${String(bound)} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must list ${word} ${String(bound)}`;
      return `must be ${word} ${String(bound)}`;
    }
    case 'invalid_format':
      if (issue.format === 'starts_with') return `must start with ${JSON.stringify((issue as { prefix?: string }).prefix)}`;
      if (issue.format === 'ends_with') return `must end with ${JSON.stringify((issue as { suffix?: string }).suffix)}`;
      if (issue.format === 'regex') return `${shown(value)} does not match ${issue.pattern}`;
      return `${shown(value)} is not a valid ${issue.format === 'url' ? 'URL' : issue.format}`;
    case 'invalid_key':
      return issue.issues[0] && !isZodDefault(issue.issues[0].message) ? issue.issues[0].message : 'is not an allowed key here';
    default:
      return issue.message;
  }
}

interface FlattenContext {
  input: unknown;
  schema: AnySchema | undefined;
  hints: IssueHints;
  out: LeafIssue[];
}

function flatten(issue: z.core.$ZodIssue, prefix: PropertyKey[], ctx: FlattenContext): void {
  const path = [...prefix, ...issue.path];
  const value = valueAt(ctx.input, path);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && value === undefined) {
    ctx.out.push({ path, message: `is required; ${ctx.hints.required}`, repair: { kind: 'none' }, custom: false });
    return;
  }
  if (issue.code === 'invalid_union') {
    const branch = pickUnionBranch(issue.errors);
    if (branch) {
      for (const inner of branch) flatten(inner, path, ctx);
      return;
    }
    ctx.out.push({ path, message: `has the wrong type; ${ctx.hints.schemaCommand} prints what is allowed here`, repair: { kind: 'delete' }, custom: false });
    return;
  }
  if (issue.code === 'unrecognized_keys') {
    const present = new Set(Object.keys((valueAt(ctx.input, path) as object | undefined) ?? {}));
    const known = ctx.schema ? knownKeysAt(ctx.schema, path) : [];
    const free = known.filter((k) => !present.has(k));
    for (const key of issue.keys) {
      const meant = closest(key, free);
      // two typos of one key: the second is not renamed onto the first
      if (meant) free.splice(free.indexOf(meant), 1);
      ctx.out.push({
        path: [...path, key],
        message: meant
          ? `unknown key; did you mean "${meant}"?`
          : `unknown key; ${known.length > 0 && known.length <= 12 ? `the keys here are ${known.join(', ')}` : `${ctx.hints.schemaCommand} lists the allowed keys`}`,
        repair: meant ? { kind: 'rename', to: meant } : { kind: 'delete' },
        custom: false,
      });
    }
    return;
  }
  if (issue.code === 'invalid_value' && isZodDefault(issue.message)) {
    const choices = issue.values.filter((v): v is string => typeof v === 'string');
    const meant = typeof value === 'string' ? closest(value, choices) : undefined;
    const message = humanize(issue, value);
    ctx.out.push({
      path,
      message: meant ? `${message}; did you mean "${meant}"?` : message,
      repair: meant ? { kind: 'replace', value: meant } : { kind: 'delete' },
      custom: false,
    });
    return;
  }
  ctx.out.push({ path, message: humanize(issue, value), repair: { kind: 'delete' }, custom: issue.code === 'custom' });
}

/** Zod issues → one problem per leaf, with paths into `input` and "did you mean" where `schema` knows the keys. */
export function leafIssues(issues: readonly z.core.$ZodIssue[], input: unknown, options: { schema?: AnySchema; hints?: IssueHints } = {}): LeafIssue[] {
  const ctx: FlattenContext = { input, schema: options.schema, hints: options.hints ?? SPEC_HINTS, out: [] };
  for (const issue of issues) flatten(issue, [], ctx);
  return ctx.out;
}

export function zodIssuesToFindings(issues: readonly z.core.$ZodIssue[], input: unknown, options: { schema?: AnySchema; hints?: IssueHints } = {}): Finding[] {
  return onePerPath(leafIssues(issues, input, options).map((i) => ({ path: shownPath(i.path), message: i.message })));
}

/** The first finding at each path (zod may say two things about one value; the first is the clearer). */
export function onePerPath(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.path) && (seen.add(f.path), true));
}

const PATH_CHAR = /[\w$\]-]/;

/** Whether `p` is `d`, lies inside it, or contains it (dot paths). */
function related(p: string, d: string): boolean {
  if (p === '' || d === '') return true;
  const inside = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return inside(p, d) || inside(d, p);
}

/**
 * Whether a message names path `d` or a path inside it, as a whole path (not "nodes[1]" inside
 * "xnodes[1]"). Only paths of two steps or more: "name" or "nodes" alone are also English words.
 */
function mentions(message: string, d: string): boolean {
  if (!/[.[]/.test(d)) return false;
  for (let at = message.indexOf(d); at !== -1; at = message.indexOf(d, at + 1)) {
    const before = message[at - 1];
    const after = message[at + d.length];
    if ((before === undefined || !(PATH_CHAR.test(before) || before === '.')) && (after === undefined || !/[\w$-]/.test(after))) return true;
  }
  return false;
}

/**
 * A finding made from a repaired input that may only be a consequence of the repair: it sits at,
 * inside or above a path whose value was taken out or replaced, or its message names one. Such
 * findings are dropped; they come back, if still true, once the reported problem is fixed.
 */
export function isConsequence(finding: Finding, degraded: readonly string[]): boolean {
  return degraded.some((d) => related(finding.path, d) || mentions(finding.message, d));
}

export interface LenientParse<T> {
  /** Every problem with the input as written (one per path), then the refinements that ran only on the repaired input. */
  findings: Finding[];
  /**
   * The input with each reported value taken out (its default or absence in its place) or
   * replaced by the key or value it was close to, parsed; undefined when that is not possible
   * (a required value is wrong, or a list element: taking it out would renumber the rest).
   */
  repaired: T | undefined;
  /** Dot paths whose value `repaired` does not hold as written (findings there are consequences). */
  degraded: string[];
}

const MAX_PASSES = 4;

/**
 * Parse, and when that fails, parse again what is left after taking out what failed, so that the
 * checks which need a parsed value (cross-field rules) can run in the same round as the shape
 * checks. `start` is the input to repair when it differs from the one reported on (e.g. without
 * values already refused for another reason, whose paths come in `alsoDegraded`).
 */
export function parseLeniently<S extends AnySchema>(
  schema: S,
  input: unknown,
  options: {
    hints?: IssueHints;
    start?: unknown;
    alsoDegraded?: readonly string[];
    /** Values (by dot path; "*" is any one key or index) the repaired input holds where a required value is missing or wrong. */
    standIns?: Readonly<Record<string, unknown>>;
  } = {},
): LenientParse<z.core.output<S>> {
  const hints = options.hints ?? SPEC_HINTS;
  const first = (schema as unknown as z.ZodType).safeParse(input);
  const all = first.success ? [] : leafIssues(first.error.issues, input, { schema, hints });
  // a required key written with a typo is one problem, the typo: "did you mean" says the rest
  const renamed = new Set(all.flatMap((i) => (i.repair.kind === 'rename' ? [shownPath([...i.path.slice(0, -1), i.repair.to])] : [])));
  const issues = all.filter((i) => !(i.repair.kind === 'none' && renamed.has(shownPath(i.path))));
  const findings = onePerPath(issues.map((i) => ({ path: shownPath(i.path), message: i.message })));
  const degraded = [...(options.alsoDegraded ?? []), ...findings.map((f) => f.path)];
  if (first.success && options.start === undefined) return { findings, repaired: first.data as z.core.output<S>, degraded };

  const current: unknown = structuredClone(options.start ?? input);
  // the paths repairs put a value at (a renamed key): when that value is wrong too, it goes whole
  const placed: PropertyKey[][] = [];
  let pending = issues;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    for (const issue of pending) {
      if (!applyRepair(current, issue, options.standIns ?? {})) return { findings, repaired: undefined, degraded };
      if (issue.repair.kind === 'rename') {
        const to = [...issue.path.slice(0, -1), issue.repair.to];
        placed.push(to);
        degraded.push(shownPath(to));
      }
    }
    const again = (schema as unknown as z.ZodType).safeParse(current);
    if (again.success) return { findings, repaired: again.data as z.core.output<S>, degraded };
    const next = leafIssues(again.error.issues, current, { schema, hints });
    // what only now ran (a refinement over several fields) is a finding of its own, unless it is about a repaired value
    const fresh = next.filter((i) => i.custom && !isConsequence({ path: shownPath(i.path), message: i.message }, degraded));
    if (fresh.length > 0) {
      findings.push(...onePerPath(fresh.map((i) => ({ path: shownPath(i.path), message: i.message }))).filter((f) => !findings.some((g) => g.path === f.path)));
      return { findings, repaired: undefined, degraded };
    }
    // anything else is a repair's own fallout (a renamed key's value is wrong too, a required value taken out)
    if (next.some((i) => !degraded.some((d) => related(shownPath(i.path), d)))) return { findings, repaired: undefined, degraded };
    pending = next.map((i): LeafIssue => {
      const within = placed.find((p) => i.path.length > p.length && p.every((key, n) => i.path[n] === key));
      if (within) return { ...i, path: within, repair: { kind: 'delete' } };
      return { ...i, repair: i.repair.kind === 'none' ? i.repair : { kind: 'delete' } };
    });
    degraded.push(...pending.map((i) => shownPath(i.path)));
  }
  return { findings, repaired: undefined, degraded };
}

/** A dot path with "*" for any one key or index, as a regular expression. */
function pathPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '[^.[\\]]+')}$`);
}

/** Applies one repair in place; false when it cannot be done without changing more than that value. */
function applyRepair(root: unknown, issue: LeafIssue, standIns: Readonly<Record<string, unknown>>): boolean {
  if (issue.path.length === 0) return false;
  const pattern = Object.keys(standIns).find((p) => pathPattern(p).test(shownPath(issue.path)));
  const standIn = pattern !== undefined && issue.repair.kind !== 'rename' && issue.repair.kind !== 'replace';
  if (issue.repair.kind === 'none' && !standIn) return false;
  const parent = valueAt(root, issue.path.slice(0, -1));
  const key = issue.path[issue.path.length - 1]!;
  // a stand-in takes a list element's place; nothing else can (the elements after it would be renumbered)
  if (Array.isArray(parent) && typeof key === 'number' && standIn && key < parent.length) {
    parent[key] = structuredClone(standIns[pattern!]);
    return true;
  }
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent) || typeof key !== 'string') return false;
  const record = parent as Record<string, unknown>;
  if (issue.repair.kind === 'rename') {
    record[issue.repair.to] = record[key];
    delete record[key];
  } else if (issue.repair.kind === 'replace') {
    record[key] = issue.repair.value;
  } else if (standIn) {
    record[key] = structuredClone(standIns[pattern!]);
  } else {
    delete record[key];
  }
  return true;
}
