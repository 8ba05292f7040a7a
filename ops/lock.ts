/** The cluster lock: types, the file implementation, and how a holder's process is judged. */
export type { ClusterLock, LockHolder, LockLease } from './lock/lock-types.js';
export { FileClusterLock, type FileClusterLockOptions } from './lock/file-cluster-lock.js';
