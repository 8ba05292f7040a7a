import { parseDocument } from 'yaml';
import { controlCharacterFindings } from './control-characters.js';
import { Findings, type Finding } from './findings.js';
import { zodIssuesToFindings } from './format-issues.js';
import type { ClusterModel } from './model.js';
import { normalize } from './normalize.js';
import { rules } from './rules/index.js';
import { ClusterSpecInput } from './schema.js';

export interface LoadResult {
  /** Undefined when the spec could not be read far enough to build a model. */
  model: ClusterModel | undefined;
  errors: Finding[];
  warnings: Finding[];
}

/**
 * YAML text → checked model, in steps: parse, control characters anywhere, schema (zod), defaults
 * and shorthands, then the cross-field rules. Pure: no files, no environment; the caller decides
 * what to print.
 */
export function loadSpec(text: string): LoadResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { model: undefined, errors: doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}` })), warnings: [] };
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { model: undefined, errors: [{ path: '', message: 'the spec must be a YAML mapping with at least name: and nodes:' }], warnings: [] };
  }
  const unprintable = controlCharacterFindings(raw);
  const parsed = ClusterSpecInput.safeParse(raw);
  if (!parsed.success) return { model: undefined, errors: [...unprintable, ...zodIssuesToFindings(parsed.error.issues, raw)], warnings: [] };
  if (unprintable.length > 0) return { model: undefined, errors: unprintable, warnings: [] };

  const findings = new Findings();
  const model = normalize(parsed.data, findings);
  for (const rule of rules) rule(model, findings);
  return { model: findings.errors.length === 0 ? model : undefined, errors: findings.errors, warnings: findings.warnings };
}
