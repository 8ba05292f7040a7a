import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../contract/cluster-files.js';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { AuditRecord, AuditSink, ClusterHandle, ClusterLock, LockHolder } from '../../ops/index.js';

/**
 * In-memory stand-ins for the audit log and the lock, and a small manifest, for tests and the
 * ack bench. Everything else (the pipeline, the cluster loader) is the real one.
 */

export class MemoryAudit implements AuditSink {
  readonly entries: AuditRecord[] = [];
  async record(entry: AuditRecord): Promise<void> {
    this.entries.push(entry);
  }
  /** What was decided, without the intent lines the pipeline writes before each run. */
  get outcomes(): AuditRecord[] {
    return this.entries.filter((e) => e.result !== 'started');
  }
}

export class MemoryLock implements ClusterLock {
  readonly #held = new Map<string, LockHolder>();
  async acquire(cluster: ClusterHandle, holder: LockHolder) {
    const busy = this.#held.get(cluster.dir);
    if (busy) return { busy };
    this.#held.set(cluster.dir, holder);
    return { lease: { release: async () => void this.#held.delete(cluster.dir) } };
  }
  async holder(cluster: ClusterHandle): Promise<LockHolder | undefined> {
    return this.#held.get(cluster.dir);
  }
  async break(cluster: ClusterHandle): Promise<LockHolder | undefined> {
    const h = this.#held.get(cluster.dir);
    this.#held.delete(cluster.dir);
    return h;
  }
}

/** A small, valid manifest (3 nodes, one disc) for a cluster folder that need not run. */
export function fakeManifest(name = 'seed'): ClusterManifest {
  const node = (n: number, type: 'disc' | 'ram') => ({
    name: `rabbit${n}`,
    erlangNode: `rabbit@rabbit${n}`,
    type,
    service: `rabbit${n}`,
    host: 'local',
    ports: { amqp: 5671 + n },
  });
  return {
    schemaVersion: 1,
    name,
    project: name,
    rabbitmq: {
      image: 'rabbitmq:3.13-management',
      version: '3.13',
      major: 3,
      minor: 13,
      formation: 'manual',
      mirroring: true,
      plugins: ['rabbitmq_management'],
      defaultUser: 'admin',
      defaultPassVariable: 'RABBITMQ_DEFAULT_PASS',
      erlangCookieVariable: 'RABBITMQ_ERLANG_COOKIE',
    },
    nodes: [node(1, 'disc'), node(2, 'ram'), node(3, 'ram')],
    hosts: [{ name: 'local', composeFile: 'docker-compose.yml', services: ['rabbit1', 'rabbit2', 'rabbit3'] }],
    policies: [],
    envFile: '.env',
    generatedFiles: [],
  };
}

/** Make `dir` a cluster folder the real loader accepts. */
export async function writeFakeCluster(dir: string, manifest: ClusterManifest, env?: string): Promise<void> {
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  if (env !== undefined) await writeFile(join(dir, '.env'), env, { mode: 0o600 });
}
