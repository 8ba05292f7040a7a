import type { ActionDefinition, Actor, ClusterHandle } from '../ops/actions/action.js';

/**
 * What the bot needs from the operations core, declared here where it is used. `ops-wiring.ts`
 * adapts the real modules (action table, cluster loader, audit log, lock); tests inject fakes.
 */

export interface ActionCatalog {
  get(name: string): ActionDefinition | undefined;
  list(): readonly ActionDefinition[];
}

export type ClusterLoader = (dir: string) => Promise<ClusterHandle>;

export type AuditOutcome = 'ok' | 'failed' | 'denied' | 'rejected' | 'busy' | 'cancelled' | 'expired' | 'error' | 'pending';

export interface AuditRecord {
  time: string;
  actor: Actor;
  action: string;
  cluster: string | undefined;
  args: readonly string[];
  result: AuditOutcome;
  durationMs: number;
  /** Short reason (denial, error id); never a secret. */
  detail?: string;
}

export interface AuditSink {
  record(entry: AuditRecord): Promise<void>;
}

/** Who holds a cluster's lock: enough to tell a second person who is running what since when. */
export interface LockHolder {
  actor: Actor;
  action: string;
  args: readonly string[];
  since: Date;
}

export interface LockLease {
  release(): Promise<void>;
}

export interface ClusterLock {
  /** Resolves with a lease, or with the current holder when someone else has the cluster. */
  acquire(cluster: ClusterHandle, holder: LockHolder): Promise<{ lease: LockLease } | { busy: LockHolder }>;
  /** The current holder, if any (checked before asking for a confirmation). */
  holder(cluster: ClusterHandle): Promise<LockHolder | undefined>;
}

export interface BotDeps {
  actions: ActionCatalog;
  loadCluster: ClusterLoader;
  audit: AuditSink;
  lock: ClusterLock;
  /** Injected clock for expiry tests. */
  now?: () => number;
}
