import { basename, dirname, resolve } from 'node:path';
import { generateCluster, type ApplyResult, type ClusterPlan } from '../../generator/index.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { RefusedError } from '../errors.js';

/** Options of generateCluster an action may add: certificates to issue again (rotate-certs), or plan only. */
type Extra = Pick<Parameters<typeof generateCluster>[1], 'renewTls' | 'check'>;

/** `now`: the action's clock (certificates' dates, the support warning), never the wall clock. */

/**
 * The cluster folder generated again from `text` (the spec at `specPath`, recorded in the
 * manifest as `specRelative`), exactly as `rmq-compose gen` would: the spec's files read beside
 * it, the secrets from the environment or .env. Outside `check`, the spec must still generate
 * this folder: one that now names another cluster changes nothing else.
 */
export async function generateAgain(
  cluster: ClusterHandle,
  specPath: string,
  specRelative: string,
  text: string,
  now: Date,
  extra: Extra = {},
): Promise<{ plan: ClusterPlan; result: ApplyResult; changed: string[] }> {
  const { plan, result } = await generateCluster(
    { text, name: basename(specPath), dir: dirname(specPath) },
    { outDir: dirname(cluster.dir), env: process.env, specFileFrom: () => specRelative, now, ...extra },
  );
  if (!extra.check && resolve(result.clusterDir) !== resolve(cluster.dir))
    throw new RefusedError(`the spec generates ${result.clusterDir}, not ${cluster.dir}; nothing else was changed`);
  // a plan is refused where the write would be: an action's pre-check must not pass a folder its
  // own write then refuses halfway through (a node already upgraded, say)
  if (extra.check && result.handEdited.length > 0) {
    const files = result.handEdited.map((h) => `${h.path} (${h.why === 'edited' ? `+${h.added} −${h.removed} since gen wrote it` : 'not written by gen'})`);
    throw new RefusedError(
      `${result.clusterDir} has files edited by hand: ${files.join(', ')}; move the change into the spec, or run \`rmq-compose gen --force\` first (it keeps each edited file aside), then run this again`,
    );
  }
  return { plan, result, changed: result.changes.filter((c) => c.kind !== 'unchanged').map((c) => c.file.path) };
}
