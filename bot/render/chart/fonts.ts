import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The chart's font comes from an npm package (dejavu-fonts-ttf), not from the machine: CI and
 * servers may have no fonts installed at all, and a fallback font would change the picture from
 * host to host. Resolved from this file's location, which also works from dist/bundle/chunks/
 * (node walks up to the package's node_modules).
 */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

const FILES = ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'];

let cached: string[] | undefined;

/** Absolute paths of the regular and bold faces; throws if the package is missing. */
export function chartFontFiles(): string[] {
  if (cached) return cached;
  const resolveHere = createRequire(import.meta.url);
  const files = FILES.map((f) => {
    try {
      return resolveHere.resolve(f);
    } catch {
      throw new Error(`rmq-compose: chart font ${f} not found (is the dejavu-fonts-ttf package installed?)`);
    }
  });
  for (const f of files) if (!existsSync(f)) throw new Error(`rmq-compose: chart font ${f} not found`);
  cached = files;
  return files;
}
