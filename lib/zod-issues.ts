import type { z } from 'zod';
import type { Finding } from './findings.js';

/** `['nodes', 2, 'name']` → `nodes[2].name` */
export function dotPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/**
 * Zod reports a union mismatch as every branch's complaint; users want the branch they meant.
 * Branches that fail only on the value's type at the union's own path are the ones not meant.
 */
function pickUnionBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  const meant = branches.filter((issues) => !issues.every((i) => i.code === 'invalid_type' && i.path.length === 0));
  return meant[0];
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

function flatten(issue: z.core.$ZodIssue, prefix: PropertyKey[], out: Finding[], input: unknown): void {
  const path = [...prefix, ...issue.path];
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && valueAt(input, path) === undefined) {
    out.push({ path: dotPath(path), message: 'is required; see `rmq-compose init` for a starter spec' });
    return;
  }
  if (issue.code === 'invalid_union') {
    const branch = pickUnionBranch(issue.errors);
    if (branch) {
      for (const inner of branch) flatten(inner, path, out, input);
      return;
    }
    out.push({ path: dotPath(path), message: 'has the wrong type; see the spec reference in the README (rmq-compose schema prints the JSON Schema)' });
    return;
  }
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      out.push({ path: dotPath([...path, key]), message: `unknown key "${key}" (a typo?); remove it or fix the spelling, rmq-compose schema lists the allowed keys` });
    }
    return;
  }
  out.push({ path: dotPath(path), message: humanize(issue) });
}

function humanize(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`}`;
  return issue.message;
}

export function zodIssuesToFindings(issues: readonly z.core.$ZodIssue[], input: unknown): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) flatten(issue, [], out, input);
  return out;
}
