import { stat } from 'node:fs/promises';
import { describeChanges, lineCounts, setSpecImage } from '../../generator/index.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { UserError } from '../../lib/errors.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';
import { readRecordedSpec } from '../recorded-spec.js';
import { sha256, type PlannedFile } from './action-plan.js';
import { planRegeneration, type Regeneration } from './regenerate.js';

/**
 * The cluster's files for a new image, made the way `rmq-compose gen` makes them: the spec the
 * folder was generated from gets the new `rabbitmq.image` (comments and layout kept), and the
 * generator renders the folder again. Planned first (nothing written), so the pre-check can
 * refuse a spec the new version does not accept before any node is touched; written later
 * exactly as planned.
 */
export interface UpgradeFiles {
  specPath: string;
  oldText: string;
  newText: string;
  regeneration: Regeneration;
  /** The spec (when its image changes) and every generated file that changes. */
  files: PlannedFile[];
  /** The spec's diff, then the generated files' (private ones only named). */
  diff: string;
}

export async function planUpgradeFiles(cluster: ClusterHandle, image: string, version: string | undefined, now: Date): Promise<UpgradeFiles> {
  const { relative: spec, path: specPath, text: oldText } = await readRecordedSpec(cluster, 'upgrade');
  let newText: string;
  let regeneration: Regeneration;
  try {
    newText = setSpecImage(oldText, image, version);
    regeneration = await planRegeneration(cluster, specPath, spec, newText, now);
  } catch (error) {
    if (error instanceof RefusedError) throw error;
    const why = error instanceof UserError || error instanceof Error ? error.message : String(error);
    throw new RefusedError(`${specPath} with rabbitmq.image ${image} is not a spec rmq-compose can generate; nothing was changed:\n${why}`);
  }
  const specFile: PlannedFile[] = newText === oldText ? [] : [{ path: spec, change: 'updated', ...lineCounts(oldText, newText), after: sha256(newText) }];
  const specDiff = describeChanges(newText === oldText ? [] : [{ file: { path: spec, contents: newText, mode: 0o644 }, kind: 'update', current: oldText }]);
  return { specPath, oldText, newText, regeneration, files: [...specFile, ...regeneration.files], diff: `${specDiff}${regeneration.diff}` };
}

/** Writes the folder as planned (only changed files, atomically) then the spec; returns the changed paths. */
export async function writeUpgradeFiles(files: UpgradeFiles): Promise<string[]> {
  const changed = await files.regeneration.write();
  if (files.newText !== files.oldText) {
    const mode = (await stat(files.specPath)).mode & 0o777;
    await writeFileAtomic(files.specPath, files.newText, mode);
    changed.push(files.specPath);
  }
  return changed;
}
