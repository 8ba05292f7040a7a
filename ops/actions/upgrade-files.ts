import { stat } from 'node:fs/promises';
import { setSpecImage, type ClusterPlan } from '../../generator/index.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { UserError } from '../../lib/errors.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';
import { readRecordedSpec } from '../recorded-spec.js';
import { generateAgain } from './generate-again.js';

/**
 * The cluster's files for a new image, made the way `rmq-compose gen` makes them: the spec the
 * folder was generated from gets the new `rabbitmq.image` (comments and layout kept), and the
 * generator renders the folder again. Planned first (pure, nothing written), so the pre-check can
 * refuse a spec the new version does not accept before any node is touched.
 */
export interface UpgradeFiles {
  specPath: string;
  oldText: string;
  newText: string;
  plan: ClusterPlan;
}

export async function planUpgradeFiles(cluster: ClusterHandle, image: string, version: string | undefined, now: Date): Promise<UpgradeFiles> {
  const { relative: spec, path: specPath, text: oldText } = await readRecordedSpec(cluster, 'upgrade');
  let newText: string;
  let plan: ClusterPlan;
  try {
    newText = setSpecImage(oldText, image, version);
    // check: planned as gen would (the spec's definitions file read, the secrets resolved), nothing written
    ({ plan } = await generateAgain(cluster, specPath, spec, newText, now, { check: true }));
  } catch (error) {
    const why = error instanceof UserError || error instanceof Error ? error.message : String(error);
    throw new RefusedError(`${specPath} with rabbitmq.image ${image} is not a spec rmq-compose can generate; nothing was changed:\n${why}`);
  }
  if (plan.model.name !== cluster.manifest.name)
    throw new RefusedError(`${specPath} now describes cluster "${plan.model.name}", not ${cluster.manifest.name}; nothing was changed`);
  return { specPath, oldText, newText, plan };
}

/** Writes the folder (only changed files, atomically) then the spec; returns the changed paths. */
export async function writeUpgradeFiles(cluster: ClusterHandle, files: UpgradeFiles, now: Date): Promise<string[]> {
  const { changed } = await generateAgain(cluster, files.specPath, cluster.manifest.spec!, files.newText, now);
  if (files.newText !== files.oldText) {
    const mode = (await stat(files.specPath)).mode & 0o777;
    await writeFileAtomic(files.specPath, files.newText, mode);
    changed.push(files.specPath);
  }
  return changed;
}
