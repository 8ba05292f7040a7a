import { parseDocument } from 'yaml';
import { Findings, type Finding } from '../../lib/findings.js';
import { zodIssuesToFindings } from '../../lib/zod-issues.js';
import { controlCharacterFindings } from './control-characters.js';
import type { ClusterModel } from './model.js';
import { normalize } from './normalize.js';
import { rules } from './rules/index.js';
import type { RuleContext } from './rules/rule.js';
import { todayUtc } from '../../contract/rabbitmq-versions.js';
import { systemClock } from '../../lib/clock.js';
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
 * what to print. The one outside input is the date (for the community-support warning): today's
 * unless `context` says.
 */
export function loadSpec(text: string, context: Partial<RuleContext> = {}): LoadResult {
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
  const ruleContext: RuleContext = { today: context.today ?? todayUtc(systemClock()) };
  for (const rule of rules) rule(model, findings, ruleContext);
  return { model: findings.errors.length === 0 ? model : undefined, errors: findings.errors, warnings: findings.warnings };
}
