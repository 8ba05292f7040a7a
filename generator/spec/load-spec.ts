import { parseDocument } from 'yaml';
import { CONTROL_CHARACTER } from '../../contract/names.js';
import { Findings, type Finding } from '../../lib/findings.js';
import { isConsequence, onePerPath, parseLeniently, SPEC_HINTS } from '../../lib/zod-issues.js';
import { controlCharacterFindings } from './control-characters.js';
import type { ClusterModel } from './model.js';
import { normalize } from './normalize.js';
import { rules } from './rules/index.js';
import type { RuleContext } from './rules/rule.js';
import { todayUtc } from '../../contract/rabbitmq-versions.js';
import { systemClock } from '../../lib/clock.js';
import { ClusterSpecInput } from './schema.js';

export interface LoadResult {
  /** Undefined when the spec has errors (or could not be read far enough to build a model). */
  model: ClusterModel | undefined;
  errors: Finding[];
  warnings: Finding[];
}

/**
 * Required values the rules may run without, when the one written is refused: a stand-in takes its
 * place for them, and what they then say at (or about) that path is dropped like any other.
 */
const STAND_INS: Readonly<Record<string, unknown>> = { name: 'unnamed', 'loadBalancer.keepalived.virtualRouterId': 51 };

/**
 * YAML text → checked model, in steps: parse, control characters anywhere, schema (zod), defaults
 * and shorthands, then the cross-field rules. Pure: no files, no environment; the caller decides
 * what to print. The one outside input is the date (for the community-support warning): today's
 * unless `context` says.
 *
 * Every problem comes in one round. When the schema refuses something, the rules still run, on
 * the spec with each refused value taken out (so its default applies) or, for a close typo of a
 * key or an allowed value, replaced by what it was close to: the model they see is built from
 * valid input only. What a rule then says at, inside or above a path the schema refused (or
 * naming one) is dropped: it could be about the stand-in, not what the user wrote. Where taking a
 * value out is not enough (a required value without a stand-in is wrong, or a list element: the
 * rest would be renumbered), the rules wait for the next round rather than guess.
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
  const structure = parseLeniently(ClusterSpecInput, raw, {
    hints: SPEC_HINTS,
    standIns: STAND_INS,
    ...(unprintable.length > 0 ? { start: withoutControlCharacters(raw), alsoDegraded: unprintable.map((f) => f.path) } : {}),
  });
  const refused = onePerPath([...unprintable, ...structure.findings]);

  const findings = new Findings();
  if (structure.repaired) {
    const model = normalize(structure.repaired, findings);
    const ruleContext: RuleContext = { today: context.today ?? todayUtc(systemClock()) };
    for (const rule of rules) rule(model, findings, ruleContext);
    if (refused.length === 0) {
      return { model: findings.errors.length === 0 ? model : undefined, errors: findings.errors, warnings: findings.warnings };
    }
  }
  const fromRules = (list: Finding[]) => list.filter((f) => !isConsequence(f, structure.degraded));
  return { model: undefined, errors: [...refused, ...fromRules(findings.errors)], warnings: fromRules(findings.warnings) };
}

/**
 * The spec without any string or key holding a control character: what the rules may see. A list
 * element becomes a hole (undefined), which the schema refuses, so the rules wait rather than
 * read renumbered elements.
 */
function withoutControlCharacters(value: unknown): unknown {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value) ? undefined : value;
  if (Array.isArray(value)) return value.map(withoutControlCharacters);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const clean = withoutControlCharacters(item);
    if (!CONTROL_CHARACTER.test(key) && clean !== undefined) out[key] = clean;
  }
  return out;
}
