import type { Actor } from '../actor.js';
import type { ClusterHandle } from '../cluster-handle.js';

/** Who holds a cluster's lock: enough to tell a second person who runs what, since when, where. */
export interface LockHolder {
  actor: Actor;
  action: string;
  args: readonly string[];
  since: Date;
  /** Machine and process holding it (absent in holders made by tests). */
  host?: string;
  pid?: number;
}

export interface LockLease {
  release(): Promise<void>;
}

export interface ClusterLock {
  /** Resolves with a lease, or with the current holder when someone else has the cluster. */
  acquire(cluster: ClusterHandle, holder: LockHolder): Promise<{ lease: LockLease } | { busy: LockHolder }>;
  /** The current holder, if any (checked before asking for a confirmation). */
  holder(cluster: ClusterHandle): Promise<LockHolder | undefined>;
  /** Break the lock whoever holds it (the audited, confirmed `unlock`); returns who held it. */
  break(cluster: ClusterHandle): Promise<LockHolder | undefined>;
}
