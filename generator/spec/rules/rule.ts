import type { Findings } from '../../../lib/findings.js';
import type { ClusterModel } from '../model.js';

/** What a rule may know besides the spec: the date, so that it stays a pure function of its inputs. */
export interface RuleContext {
  /** YYYY-MM-DD (UTC). */
  today: string;
}

/** One cross-field check: reads the model, adds errors or warnings with dot paths. */
export type Rule = (model: ClusterModel, findings: Findings, context: RuleContext) => void;
