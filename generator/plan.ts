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

export interface PlanOptions {
  /**
   * Where the spec file is, as seen from the cluster folder (which is named after the cluster):
   * recorded in the manifest so `upgrade` can edit the spec and generate again. Omitted for a
   * spec that is not the user's file (the bundled seed).
   */
  specFileFrom?: (clusterName: string) => string;
}

/** Spec text → every file of the cluster, or a SpecError listing each problem. No I/O. */
export function planCluster(specText: string, specName: string, options: PlanOptions = {}): ClusterPlan {
  const { model, errors, warnings } = loadSpec(specText);
  if (!model || errors.length > 0) throw new SpecError(errors.map(formatFinding), specName);
  return { model, files: renderCluster(model, specName, options.specFileFrom?.(model.name)), warnings };
}
