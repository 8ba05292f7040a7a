import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../contract/cluster-files.js';
import { systemClock } from '../../lib/clock.js';
import { isUserError } from '../../lib/errors.js';
import type { Actor } from '../actor.js';
import type { ClusterHandle } from '../cluster-handle.js';
import { AuditUnavailableError, ClusterBusyError } from '../errors.js';
import { loadCluster } from '../load-cluster.js';
import { FileClusterLock, type ClusterLock, type LockLease } from '../lock.js';
import { ClusterAudit } from './cluster-audit.js';
import { busyText } from './lock-message.js';

/** Who writes the folder, as the audit line and a busy message name them. */
export interface FolderWriter {
  actor: Actor;
  action: string;
  argv: readonly string[];
}

export interface FolderWriteDeps {
  /** The same lock the actions take (the pipeline's); the file lock in the folder otherwise. */
  lock?: ClusterLock;
  now?: () => number;
}

/** A write under way: ended once, with what it did or how it failed. */
export interface FolderWrite {
  /** `changedNothing`: the write found every file as it should be; no line (a run that writes nothing is no writer). */
  end(outcome: { ok: true; detail?: string; changedNothing?: boolean } | { ok: false; error: unknown }): Promise<void>;
}

/**
 * A writer of a cluster folder that is not an action of the catalog (`gen` over an existing
 * cluster; an action that changes a second cluster, `migrate`'s green, holds it through the
 * pipeline's `alsoHold` instead): the folder's lock for the write, as a mutating
 * action holds it, so a deploy or an upgrade never runs on files changing under it; and one line
 * in the folder's audit.log, so its history says who changed its files. A folder with no manifest
 * yet is a new cluster that nobody else can be running: no lock and no line.
 */
export async function beginFolderWrite(dir: string, who: FolderWriter, deps: FolderWriteDeps = {}): Promise<FolderWrite> {
  const now = deps.now ?? systemClock;
  const lock = deps.lock ?? new FileClusterLock();
  const startedAt = now();
  const before = existsSync(join(dir, MANIFEST_FILE)) ? await loadCluster(dir).catch(() => undefined) : undefined;
  let lease: LockLease | undefined;
  if (before) {
    const got = await lock.acquire(before, { actor: who.actor, action: who.action, args: who.argv, since: new Date(startedAt) });
    if ('busy' in got) throw new ClusterBusyError(busyText(before.manifest.name, got.busy, now()), got.busy);
    lease = got.lease;
  }
  let ended = false;
  return {
    async end(outcome) {
      if (ended) return;
      ended = true;
      try {
        // a new cluster has no history to keep yet: its folder starts with what gen wrote
        if (!before || (outcome.ok && outcome.changedNothing)) return;
        const cluster: ClusterHandle = (await loadCluster(dir).catch(() => undefined)) ?? before;
        const audit = await ClusterAudit.open(cluster, 'cluster-folder', now);
        const detail = outcome.ok ? outcome.detail : outcome.error instanceof Error ? outcome.error.message.split('\n')[0] : String(outcome.error);
        const result = outcome.ok ? 'ok' : isUserError(outcome.error) ? 'failed' : 'error';
        await audit
          .write({ actor: who.actor, action: who.action, argv: who.argv, result, startedAt, ...(detail ? { detail } : {}) })
          .catch((error: unknown) => {
            throw new AuditUnavailableError(
              `${who.action} changed ${dir} but could not write its line in ${audit.where}: ${error instanceof Error ? error.message : String(error)}`,
              error,
            );
          });
      } finally {
        await lease?.release();
      }
    },
  };
}
