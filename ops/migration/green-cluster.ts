import { lstat, mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileRows, generateCluster, greenSpec, lineCounts, type ClusterPlan } from '../../generator/index.js';
import { readIfExists } from '../../lib/read-if-exists.js';
import type { PlannedFile } from '../plan/action-plan.js';
import { sha256 } from '../plan/action-plan.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { UserError } from '../../lib/errors.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';
import { readRecordedSpec } from '../recorded-spec.js';

export interface GreenFiles {
  dir: string;
  specPath: string;
}

/**
 * Green's spec (blue's, with the new image; generator/spec/green-spec.ts says what else changes)
 * written beside blue's as `<spec>.green.yaml`, and its cluster folder generated beside blue's
 * (`<name>-green`). Green gets blue's .env first, so the default user and its password are the
 * same: clients log in to green as they did to blue. Not the Erlang cookie: green's own is
 * generated, so no node of one cluster can ever join the other's distribution.
 */
export interface PlannedGreen extends GreenFiles {
  text: string;
  blueSpec: string;
  plan: ClusterPlan;
  /** Green's spec and every file of its folder that gen would write, paths as seen from blue's folder. */
  files: PlannedFile[];
}

/** `now`: the action's clock (green's certificates, the support warning). */
type GreenOptions = { image: string; version: string | undefined; subnet: string; portOffset: number; now: Date };

/** Green's spec text and plan, nothing written: what the pre-check judges (version, spec errors). */
export async function planGreenFiles(blue: ClusterHandle, o: GreenOptions): Promise<PlannedGreen> {
  const { path: blueSpec, text: blueText } = await readRecordedSpec(blue, 'migrate');
  const specPath = join(dirname(blueSpec), `${basename(blueSpec).replace(/\.ya?ml$/, '')}.green.yaml`);
  const dir = join(dirname(blue.dir), `${blue.manifest.name}-green`);
  try {
    const text = greenSpec(blueText, basename(blueSpec), o);
    const { plan, result } = await generateCluster(
      { text, name: basename(specPath), dir: dirname(specPath) },
      { outDir: dirname(blue.dir), env: process.env, check: true, now: o.now, specFileFrom: () => relative(dir, specPath) },
    );
    const oldSpec = await readIfExists(specPath);
    const specRow: PlannedFile[] =
      oldSpec === text
        ? []
        : [
            {
              path: relative(blue.dir, specPath),
              change: oldSpec === undefined ? 'created' : 'updated',
              ...lineCounts(oldSpec ?? '', text),
              after: sha256(text),
            },
          ];
    const changed = result.changes.filter((c) => c.kind !== 'unchanged');
    // green's keys and certificates (with tls:) are made when it is written: only their paths are planned
    const rows = fileRows(changed).map((r, i) => ({
      path: relative(blue.dir, join(dir, r.path)),
      change: r.change === 'unchanged' ? ('updated' as const) : r.change,
      added: r.added,
      removed: r.removed,
      after: changed[i]!.kind === 'remove' || /(^|\/)tls\/|^rmq-compose\.json$/.test(r.path) ? null : sha256(changed[i]!.file.contents),
    }));
    return { dir, specPath, text, blueSpec, plan, files: [...specRow, ...rows] };
  } catch (error) {
    throw new RefusedError(
      `cannot make green's spec from ${blueSpec}: ${error instanceof UserError || error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function writeGreenFiles(blue: ClusterHandle, o: GreenOptions): Promise<GreenFiles> {
  const g = await planGreenFiles(blue, o);
  await writeFileAtomic(g.specPath, g.text, (await stat(g.blueSpec)).mode & 0o777);
  // the same secrets: copied only when green has none yet (a resumed migration keeps its own)
  await mkdir(g.dir, { recursive: true });
  const greenEnv = join(g.dir, blue.manifest.envFile);
  if (!(await lstat(greenEnv).catch(() => undefined))) {
    const cookie = g.plan.model.rabbitmq.erlangCookie;
    const blueEnv = await readFile(join(blue.dir, blue.manifest.envFile), 'utf8');
    // the cookie's line left out: gen generates green's own (0600, like blue's)
    const kept = cookie.kind === 'ref' ? blueEnv.split('\n').filter((line) => !line.startsWith(`${cookie.variable}=`)) : blueEnv.split('\n');
    await writeFileAtomic(greenEnv, kept.join('\n'), 0o600);
  }
  await generateCluster(
    { text: g.text, name: basename(g.specPath), dir: dirname(g.specPath) },
    { outDir: dirname(blue.dir), env: process.env, now: o.now, specFileFrom: () => relative(g.dir, g.specPath) },
  );
  return { dir: g.dir, specPath: g.specPath };
}
