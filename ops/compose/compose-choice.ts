import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterHandle } from '../cluster-handle.js';
import type { CommandRunner } from '../runner/command.js';
import { ComposeTooOldError } from './compose-errors.js';
import { describeFlavor, detectComposeFlavor, withRelease, type ComposeFlavor } from './compose-flavor.js';
import { thisMachine, visiblePluginDirs, type PluginPlaces } from './plugin-dirs.js';

/**
 * Files for machines reached from here carry their files inline, as top-level `configs:` with
 * `content:` (generator/render/compose/file-delivery.ts): Compose v2.23.1 and later only. v1
 * rejects them ("configs.x value 'content' does not match any of the regexes"), per machine.
 */
export const INLINE_CONFIGS_SINCE = '2.23.1';

export interface ComposeChoice {
  flavor: ComposeFlavor;
  /** For a progress line: "docker compose 2.26.1 (plugin /usr/libexec/docker/cli-plugins/docker-compose)". */
  description: string;
}

/**
 * The Compose that will run this cluster's files, and why; refuses one that cannot read them
 * before any of them is run, so no machine is left half changed by a Compose that fails on each.
 */
export async function chooseCompose(runner: CommandRunner, cluster: ClusterHandle, places: PluginPlaces = thisMachine()): Promise<ComposeChoice> {
  const [flavor, inline] = await Promise.all([detectComposeFlavor(runner, places), filesWithInlineConfigs(cluster)]);
  if (inline.length === 0) return { flavor, description: describeFlavor(flavor) };
  const known = flavor.version === 1 ? flavor : await withRelease(runner, flavor);
  // a v2 that answers without a release (a development build) gets the benefit of the doubt
  if (known.version === 1 || (known.release && !atLeast(known.release, INLINE_CONFIGS_SINCE))) {
    throw new ComposeTooOldError(describeFlavor(known), inline, INLINE_CONFIGS_SINCE, visiblePluginDirs(places));
  }
  return { flavor: known, description: describeFlavor(known) };
}

/** The cluster's compose files (relative) with a top-level `configs:`; a file that cannot be read is left to Compose to report. */
export async function filesWithInlineConfigs(cluster: ClusterHandle): Promise<string[]> {
  const files = [...new Set(cluster.manifest.hosts.map((h) => h.composeFile))];
  const inline = await Promise.all(files.map((f) => readFile(join(cluster.dir, f), 'utf8').then((text) => /^configs:[ \t]*$/m.test(text), () => false)));
  return files.filter((_, i) => inline[i]);
}

/** "2.26.1-4" ≥ "2.23.1", by the leading numbers; suffixes (-desktop.1, -4) do not count. */
export function atLeast(release: string, minimum: string): boolean {
  const nums = (v: string) => (/^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) ?? []).slice(1, 4).map((n) => Number(n ?? 0));
  const [a, b] = [nums(release), nums(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
