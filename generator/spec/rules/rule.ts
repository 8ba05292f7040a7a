import type { Findings } from '../../../lib/findings.js';
import type { ClusterModel } from '../model.js';

/** One cross-field check: reads the model, adds errors or warnings with dot paths. */
export type Rule = (model: ClusterModel, findings: Findings) => void;
