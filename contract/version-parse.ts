/**
 * The one reading of a RabbitMQ version in rmq-compose: the spec's `rabbitmq.version`, the
 * manifest, `upgrade`/`migrate --version`, the release table, image tags and the versions a
 * running node reports all go through here, so they cannot disagree on what a version is or
 * which of two is older.
 */

/**
 * MAJOR.MINOR[.PATCH], the whole text. Kept as this literal (no capture groups) because the
 * spec schema and the manifest use it too, and the JSON Schema (schema/) publishes it as written.
 */
export const VERSION_TEXT = /^\d+\.\d+(\.\d+)?$/;

export interface ParsedVersion {
  major: number;
  minor: number;
  /** undefined when the text stops at the minor ("4.3"). */
  patch: number | undefined;
  /** As read, e.g. "4.3" or "4.3.6" (for a tag, only the version at its start). */
  text: string;
}

/** "4.2.5" → { major 4, minor 2, patch 5 }; undefined when the text is not MAJOR.MINOR[.PATCH]. */
export function parseVersion(text: string): ParsedVersion | undefined {
  if (!VERSION_TEXT.test(text)) return undefined;
  const [major, minor, patch] = text.split('.').map(Number);
  return { major: major!, minor: minor!, patch, text };
}

/**
 * The version a text starts with, up to the end or a `-`, `_` or `+`: an image tag
 * (`4.3-management`, `3.13.7-management-alpine`, `4.1.2_custom`) or what a node reports
 * (`4.3.6+2.g1234`). A major alone (`4-management`) reads as its .0 with text "4", as the
 * generator always read it. undefined when the text does not start with a version.
 */
export function leadingVersion(text: string): ParsedVersion | undefined {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:$|[-_+])/.exec(text);
  if (!match) return undefined;
  const version = match[0].replace(/[-_+]$/, '');
  return { major: Number(match[1]), minor: Number(match[2] ?? 0), patch: match[3] === undefined ? undefined : Number(match[3]), text: version };
}

/**
 * The version in an image reference's tag: `rabbitmq:3.13-management` → 3.13,
 * `registry:5000/rabbitmq:4.1.2-alpine` → 4.1.2. undefined without a tag (`rabbitmq`, an IPv6
 * registry `[::1]`), when the tag does not start with a version (`latest`), and for a reference
 * with a digest: the digest, not the tag, says what runs, so the version must be given.
 */
export function versionInImageTag(image: string): ParsedVersion | undefined {
  if (image.includes('@')) return undefined;
  const colon = image.lastIndexOf(':');
  if (colon < 0 || image.endsWith(']')) return undefined;
  const tag = image.slice(colon + 1);
  if (tag.includes('/')) return undefined; // that colon was a registry port, not a tag
  return leadingVersion(tag);
}

/**
 * Oldest first: major, minor, then patch (a missing patch counts as 0, so "4.3" and "4.3.0" are
 * equal). A text that is no version sorts before every version.
 */
export function compareVersions(a: string | ParsedVersion, b: string | ParsedVersion): number {
  const pa = typeof a === 'string' ? leadingVersion(a) : a;
  const pb = typeof b === 'string' ? leadingVersion(b) : b;
  if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
  return pa.major - pb.major || pa.minor - pb.minor || (pa.patch ?? 0) - (pb.patch ?? 0);
}
