import { SpecError } from '../lib/errors.js';
import { formatFinding, type Finding } from '../lib/findings.js';
import { loadSpec } from './spec/load-spec.js';
import type { ClusterModel } from './spec/model.js';
import { renderCluster } from './render/render-cluster.js';
import type { RenderedFile } from './render/rendered-file.js';

export interface ClusterPlan {
  model: ClusterModel;
  files: RenderedFile[];
  warnings: Finding[];
}

/** Spec text → every file of the cluster, or a SpecError listing each problem. No I/O. */
export function planCluster(specText: string, specName: string): ClusterPlan {
  const { model, errors, warnings } = loadSpec(specText);
  if (!model || errors.length > 0) throw new SpecError(errors.map(formatFinding), specName);
  return { model, files: renderCluster(model, specName), warnings };
}
