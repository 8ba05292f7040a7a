import type { ActionDefinition, ClusterHandle } from '../../ops/actions/action.js';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ActionCatalog, AuditRecord, AuditSink, ClusterLock, LockHolder } from '../ports.js';

/**
 * In-memory stand-ins for the ops core's table, lock and audit log, for tests and the ack bench.
 * The actions themselves are real ActionDefinition objects; only their run() is in memory.
 */

export class MemoryCatalog implements ActionCatalog {
  readonly #byName = new Map<string, ActionDefinition>();
  constructor(actions: readonly ActionDefinition[]) {
    for (const a of actions) {
      if (this.#byName.has(a.name)) throw new Error(`duplicate action ${a.name}`);
      this.#byName.set(a.name, a);
    }
  }
  get(name: string): ActionDefinition | undefined {
    return this.#byName.get(name);
  }
  list(): readonly ActionDefinition[] {
    return [...this.#byName.values()];
  }
}

export class MemoryAudit implements AuditSink {
  readonly entries: AuditRecord[] = [];
  async record(entry: AuditRecord): Promise<void> {
    this.entries.push(entry);
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
}

/** A small, valid manifest (3 nodes, one disc) for a cluster folder that need not exist. */
export function fakeManifest(name = 'seed'): ClusterManifest {
  const node = (n: number, type: 'disc' | 'ram') => ({
    name: `rabbit${n}`, erlangNode: `rabbit@rabbit${n}`, type, service: `rabbit${n}`, host: 'local', ports: { amqp: 5671 + n }, address: undefined,
  });
  return {
    schemaVersion: 1,
    name,
    project: name,
    rabbitmq: {
      image: 'rabbitmq:3.13-management', version: '3.13', major: 3, minor: 13, formation: 'manual', mirroring: true,
      plugins: ['rabbitmq_management'], defaultUser: 'admin', defaultUserVariable: undefined,
      defaultPassVariable: 'RABBITMQ_DEFAULT_PASS', erlangCookieVariable: 'RABBITMQ_ERLANG_COOKIE',
    },
    nodes: [node(1, 'disc'), node(2, 'ram'), node(3, 'ram')],
    hosts: [{ name: 'local', address: undefined, docker: undefined, composeFile: 'docker-compose.yml', services: ['rabbit1', 'rabbit2', 'rabbit3'] }],
    loadBalancer: undefined,
    policies: [],
    envFile: '.env',
    generatedFiles: [],
  };
}

export function fakeClusterLoader(manifests: Record<string, ClusterManifest>): (dir: string) => Promise<ClusterHandle> {
  return async (dir) => {
    const manifest = manifests[dir];
    if (!manifest) throw new Error(`no cluster at ${dir}`);
    return { dir, manifest };
  };
}
