/**
 * The generator's one public entry for the operations core: `upgrade` records the new image in
 * the spec and generates the cluster's files again, exactly as `rmq-compose gen` would. Ops may
 * import this file and nothing else under generator/ (eslint.config.js).
 */
export { type ApplyResult } from './apply.js';
export { generateCluster, prepareGeneration, type PreparedGeneration } from './generate.js';
export { planCluster, type ClusterPlan } from './plan.js';
export { setSpecImage } from './spec/set-image.js';
export { greenSpec, type GreenSpecOptions } from './spec/green-spec.js';
export { describeChanges, fileRows, lineCounts, type FileRow } from './write/check-diff.js';
export { type FileChange } from './write/disk-state.js';
