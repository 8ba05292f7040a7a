import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../contract/cluster-files.js';
import { UserError } from '../../lib/errors.js';
import { isPrivate } from '../render/rendered-file.js';
import type { FileChange } from './disk-state.js';
import { readCopy, recordedHashOf, type GenRecord } from './gen-record.js';

/** A generated file that is not what gen wrote there last, and that this run would replace or remove. */
export interface HandEdit {
  path: string;
  /** edited: gen wrote it and it changed since; unknown: gen has no record of writing it (yours). */
  why: 'edited' | 'unknown';
  /** Lines on disk against what gen wrote last (or, without that copy, what it writes now). */
  added: number;
  removed: number;
  /** The unified diff; absent for a private file (password hashes, keys), which is never printed. */
  diff?: string;
  /** What the diff is against. */
  against: 'last gen' | 'this gen';
  /** With --force: where the hand-edited copy was kept, relative to the cluster folder. */
  keptAs?: string;
}

export interface HandEditFindings {
  handEdited: HandEdit[];
  /** Files this run replaces or removes that no record covers (an older rmq-compose, or no .rmq-compose/). */
  unchecked: string[];
}

/**
 * Which of the run's updates and removals would lose a hand edit: a file whose bytes on disk
 * are neither what gen recorded writing nor what it writes now. A file gen writes now that is
 * already there and that the record does not know is someone's own file, and counts too, once
 * there is a record to know it by. `.env` and TLS keys are not in the plan as changes (gen never
 * overwrites them), so they never come here.
 */
export async function findHandEdits(clusterDir: string, changes: readonly FileChange[], record: GenRecord): Promise<HandEditFindings> {
  const handEdited: HandEdit[] = [];
  const unchecked: string[] = [];
  for (const change of changes) {
    if ((change.kind !== 'update' && change.kind !== 'remove') || change.current === undefined) continue;
    const { path } = change.file;
    const current = change.current;
    const recorded = record.publicHashes?.get(path) ?? record.privateHashes?.get(path);
    const privateFile = change.kind === 'update' ? isPrivate(change.file) : record.privateHashes?.has(path) === true;
    if (recorded === undefined) {
      const known = change.kind === 'remove' ? (record.publicHashes ?? record.privateHashes) : privateFile ? record.privateHashes : record.publicHashes;
      if (known === undefined) unchecked.push(path);
      else handEdited.push(await describe(clusterDir, change, 'unknown', undefined, privateFile));
      continue;
    }
    if (recordedHashOf(path, current) !== recorded) handEdited.push(await describe(clusterDir, change, 'edited', recorded, privateFile));
  }
  return { handEdited, unchecked };
}

async function describe(clusterDir: string, change: FileChange, why: HandEdit['why'], recorded: string | undefined, privateFile: boolean): Promise<HandEdit> {
  const { lineCounts, unifiedDiff } = await import('./check-diff.js');
  const path = change.file.path;
  const current = change.current ?? '';
  const copy = recorded === undefined || privateFile ? undefined : await readCopy(clusterDir, path);
  const lastGen = copy !== undefined && recordedHashOf(path, copy) === recorded ? copy : undefined;
  const base = lastGen ?? (change.kind === 'remove' ? '' : change.file.contents);
  const against = lastGen !== undefined ? 'last gen' : 'this gen';
  const { added, removed } = lineCounts(base, current);
  const diff = privateFile
    ? undefined
    : unifiedDiff(
        path,
        base,
        current,
        against === 'last gen' ? '(as gen wrote it)' : change.kind === 'remove' ? '(gen removes it)' : '(as gen writes it now)',
        '(on disk, edited by hand)',
      );
  return { path, why, added, removed, against, ...(diff === undefined ? {} : { diff }) };
}

/** `<file>.hand-edited-20261207T101500Z`: the time in UTC, as backups name theirs. */
export function handEditedSuffix(now: Date): string {
  return `.hand-edited-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

/**
 * Keeps the hand-edited file beside itself under a new name, bytes and mode as they are
 * (copyFile keeps the mode; COPYFILE_EXCL never replaces nor follows anything already at that
 * name). The original's path was checked for links before anything was read.
 */
export async function keepAside(clusterDir: string, path: string, now: Date): Promise<string> {
  const base = `${path}${handEditedSuffix(now)}`;
  for (let n = 1; ; n++) {
    const keptAs = n === 1 ? base : `${base}-${n}`;
    try {
      await copyFile(join(clusterDir, path), join(clusterDir, keptAs), constants.COPYFILE_EXCL);
      return keptAs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
    }
  }
}

/**
 * gen would overwrite (or remove) files edited by hand: nothing was written. The message names
 * each with its diff (never a private file's) and says what to do. Exit 1, like any other output
 * folder problem.
 */
export class HandEditedError extends UserError {
  readonly handEdited: readonly HandEdit[];
  readonly clusterDir: string;

  constructor(clusterDir: string, specName: string, handEdited: readonly HandEdit[]) {
    super(handEditedMessage(clusterDir, specName, handEdited), { exitCode: 1 });
    this.handEdited = handEdited;
    this.clusterDir = clusterDir;
  }
}

function handEditedMessage(clusterDir: string, specName: string, handEdited: readonly HandEdit[]): string {
  const lines = [
    `refusing to overwrite ${handEdited.length === 1 ? 'a file' : `${handEdited.length} files`} in ${clusterDir} edited by hand since gen wrote ${handEdited.length === 1 ? 'it' : 'them'}; nothing was written:`,
  ];
  for (const h of handEdited)
    lines.push(
      `  ${h.path} (+${h.added} \u2212${h.removed}${h.why === 'unknown' ? '; gen has no record of writing it' : ''}${h.path === MANIFEST_FILE ? '; the manifest the operations commands read' : ''})`,
    );
  const diffs = handEdited.filter((h) => h.diff !== undefined);
  if (diffs.length > 0)
    lines.push(
      '',
      ...diffs.map((h) => `${h.against === 'last gen' ? 'Your edit' : 'On disk against what gen writes now'}, ${h.path}:\n${h.diff!.trimEnd()}`),
      '',
    );
  const hidden = handEdited.filter((h) => h.diff === undefined).map((h) => h.path);
  if (hidden.length > 0) lines.push(`(${hidden.join(', ')}: private, so no diff is shown; compare ${hidden.length > 1 ? 'them' : 'it'} yourself)`);
  lines.push(
    `Move your change into the spec (${specName}) and run gen again, or run gen with --force to overwrite: it then keeps each edited file beside it as <file>.hand-edited-<UTC time>.`,
  );
  return lines.join('\n');
}
