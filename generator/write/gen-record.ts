import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE, STATE_DIR } from '../../contract/cluster-files.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { readIfExists } from '../../lib/read-if-exists.js';
import { isPrivate, type RenderedFile } from '../render/rendered-file.js';

/**
 * What gen wrote last, so the next gen can tell a file edited by hand from one gen wrote:
 *
 * - the manifest's `generatedHashes` (committed with the folder): the sha256 of every file that
 *   is not private, and of the manifest itself without this field. It travels with the files, so
 *   a checkout or a `git pull` of a folder a colleague generated is never taken for hand edits.
 * - `.rmq-compose/generated-private.json` (git-ignored like the files it covers, 0600): the
 *   sha256 of the private files (password hashes, TLS keys, compose files carrying them), which
 *   stay out of the committed manifest: a hash of definitions.json would let anyone holding the
 *   manifest test password guesses.
 * - `.rmq-compose/generated/<path>`: a copy of each public file as gen wrote it, so a refusal can
 *   show the hand edit itself (what is on disk against what gen wrote), not mixed with what a
 *   changed spec changes. Used only when its hash is the recorded one.
 */
export const HASHES_FIELD = 'generatedHashes';
export const COPIES_DIR = `${STATE_DIR}/generated`;
export const PRIVATE_HASHES_FILE = `${STATE_DIR}/generated-private.json`;

export interface GenRecord {
  /** A manifest is there (an earlier gen ran here). */
  manifestFound: boolean;
  /** The manifest's record; undefined without a manifest, or one an older rmq-compose wrote. */
  publicHashes: ReadonlyMap<string, string> | undefined;
  /** The private files' record; undefined when .rmq-compose/ holds none. */
  privateHashes: ReadonlyMap<string, string> | undefined;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash a file is recorded under: its bytes, except the manifest's, which is hashed as it reads
 * without its own record (a file cannot hold its own hash). Text that is not JSON any more is
 * hashed as it is, which no record matches: an edit.
 */
export function recordedHashOf(path: string, text: string): string {
  if (path !== MANIFEST_FILE) return sha256(text);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return sha256(text);
    const { [HASHES_FIELD]: _record, ...rest } = parsed as Record<string, unknown>;
    return sha256(`${JSON.stringify(rest, null, 2)}\n`);
  } catch {
    return sha256(text);
  }
}

/**
 * The plan's files with the manifest carrying `generatedHashes`, and the private files' hashes.
 * Pure: the same files give the same bytes.
 */
export function withRecord(files: readonly RenderedFile[]): { files: RenderedFile[]; privateHashes: Record<string, string> } {
  const publicHashes: Record<string, string> = {};
  const privateHashes: Record<string, string> = {};
  for (const f of files) {
    if (f.path === MANIFEST_FILE) publicHashes[f.path] = recordedHashOf(f.path, f.contents);
    else if (isPrivate(f)) privateHashes[f.path] = sha256(f.contents);
    else publicHashes[f.path] = sha256(f.contents);
  }
  const out = files.map((f) => {
    if (f.path !== MANIFEST_FILE) return f;
    const manifest = JSON.parse(f.contents) as Record<string, unknown>;
    return { ...f, contents: `${JSON.stringify({ ...manifest, [HASHES_FIELD]: sorted(publicHashes) }, null, 2)}\n` };
  });
  return { files: out, privateHashes: sorted(privateHashes) };
}

/** Reads both records; anything malformed counts as no record (the run then says it cannot check). */
export async function readGenRecord(clusterDir: string): Promise<GenRecord> {
  const manifestText = await readIfExists(join(clusterDir, MANIFEST_FILE));
  const privateText = await readIfExists(join(clusterDir, PRIVATE_HASHES_FILE));
  let publicHashes: Map<string, string> | undefined;
  if (manifestText !== undefined) {
    try {
      publicHashes = hashMap((JSON.parse(manifestText) as Record<string, unknown>)[HASHES_FIELD]);
    } catch {
      publicHashes = undefined;
    }
  }
  let privateHashes: Map<string, string> | undefined;
  if (privateText !== undefined) {
    try {
      privateHashes = hashMap((JSON.parse(privateText) as Record<string, unknown>).files);
    } catch {
      privateHashes = undefined;
    }
  }
  return { manifestFound: manifestText !== undefined, publicHashes, privateHashes };
}

/** The record's paths below the cluster folder, for the symbolic-link check before anything is read. */
export function recordPaths(paths: readonly string[]): string[] {
  return [PRIVATE_HASHES_FILE, ...paths.map(copyPath)];
}

export function copyPath(path: string): string {
  return `${COPIES_DIR}/${path}`;
}

/** The copy gen made of `path`, if there is one. */
export async function readCopy(clusterDir: string, path: string): Promise<string | undefined> {
  return readIfExists(join(clusterDir, copyPath(path)));
}

/**
 * After the writes: a copy of every public file as written (only those that differ from the copy
 * there), the private files' hashes, and no copy of a file gen no longer writes. .rmq-compose/ is
 * made 0700, as the lock makes it.
 */
export async function writeGenRecord(
  clusterDir: string,
  files: readonly RenderedFile[],
  privateHashes: Record<string, string>,
  gone: readonly string[],
): Promise<void> {
  await mkdir(join(clusterDir, STATE_DIR), { recursive: true, mode: 0o700 });
  for (const f of files) {
    if (isPrivate(f)) continue;
    if ((await readCopy(clusterDir, f.path)) !== f.contents) await writeFileAtomic(join(clusterDir, copyPath(f.path)), f.contents, 0o600);
  }
  for (const f of files.filter(isPrivate)) await removeCopy(clusterDir, f.path);
  for (const path of gone) await removeCopy(clusterDir, path);
  const text = `${JSON.stringify({ files: privateHashes }, null, 2)}\n`;
  if ((await readIfExists(join(clusterDir, PRIVATE_HASHES_FILE))) !== text) await writeFileAtomic(join(clusterDir, PRIVATE_HASHES_FILE), text, 0o600);
}

async function removeCopy(clusterDir: string, path: string): Promise<void> {
  const full = join(clusterDir, copyPath(path));
  if ((await readIfExists(full)) === undefined) return;
  await rm(full, { force: true });
  for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    const folder = join(clusterDir, COPIES_DIR, dir);
    if ((await readdir(folder)).length > 0) break;
    await rmdir(folder);
  }
}

function hashMap(raw: unknown): Map<string, string> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && SHA256.test(e[1]));
  return new Map(entries);
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
