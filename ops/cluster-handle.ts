import type { ClusterManifest } from '../contract/manifest.js';

/**
 * A generated cluster on disk: its folder and manifest (rmq-compose.json). Declared at the
 * bottom of ops so the low-level clients (compose, rabbitmqctl, API) and the actions above them
 * share it without importing each other.
 */
export interface ClusterHandle {
  dir: string;
  manifest: ClusterManifest;
}
