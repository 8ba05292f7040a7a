/**
 * Every action by name, with what a surface needs before it loads anything: usage, a one-line
 * summary, whether it changes the cluster (lock, the stricter authorization rule) and whether it
 * asks first. Data only, no imports: `rmq-compose --help` and the bot's help read it without
 * loading the operations core. Each action file takes its entry from here, so there is one list.
 */
export interface CatalogEntry {
  readonly name: string;
  /** e.g. "join <node> [--ram|--disc] [--to <node>]" */
  readonly usage: string;
  readonly summary: string;
  /** Changes the cluster: takes the cluster lock, and the bot's mutating rule applies. */
  readonly mutating: boolean;
  /**
   * For an action whose kind depends on its subcommand (`mirror-policy list` reads, `set` writes):
   * does this argv change the cluster? Raw words only, so a surface can authorize before it
   * loads the cluster. Use `isMutating()` rather than reading either field.
   */
  readonly mutatingFor?: (argv: readonly string[]) => boolean;
  /** Asks for confirmation (Slack buttons, the terminal's y/N or --yes). */
  readonly dangerous: boolean;
  /** Runs without taking the cluster lock although it is mutating (`unlock` breaks the lock). */
  readonly withoutLock?: boolean;
}

const entry = <const E extends CatalogEntry>(e: E): E => e;

export const CATALOG = {
  status: entry({ name: 'status', usage: 'status', summary: 'nodes up/down, alarms, maintenance, partitions, queue replicas, load balancer and VIP', mutating: false, dangerous: false }),
  check: entry({
    name: 'check',
    usage: 'check',
    summary: 'one health verdict with what to do: exit 0 healthy, 1 degraded, 2 critical (for scripts and cron)',
    mutating: false,
    dangerous: false,
  }),
  deploy: entry({ name: 'deploy', usage: 'deploy', summary: 'start every container, wait healthy, form the cluster, apply policies', mutating: true, dangerous: true }),
  join: entry({ name: 'join', usage: 'join <node> [--ram|--disc] [--to <node>]', summary: 'reset a node and join it to the cluster (as disc or ram)', mutating: true, dangerous: true }),
  'mirror-policy': entry({
    name: 'mirror-policy',
    usage: 'mirror-policy list | set <name> <pattern> [all|exactly <N>] [--sync automatic|manual] | clear <name>',
    summary: 'list, set or clear classic mirrored-queue (ha-*) policies (RabbitMQ 3.x)',
    mutating: true,
    // `list` only reads: no lock, and the bot's readOnly rule applies
    mutatingFor: (argv: readonly string[]) => argv[0] !== 'list',
    dangerous: false,
  }),
  restart: entry({ name: 'restart', usage: 'restart <node> [--force]', summary: 'restart one node and wait until it is back in the cluster (refused while a queue needs it, unless --force)', mutating: true, dangerous: false }),
  drain: entry({ name: 'drain', usage: 'drain <node> [--force]', summary: 'put a node into maintenance mode (rabbitmq-upgrade drain; refused while a queue needs it, unless --force)', mutating: true, dangerous: true }),
  revive: entry({ name: 'revive', usage: 'revive <node>', summary: 'take a node out of maintenance mode (rabbitmq-upgrade revive)', mutating: true, dangerous: false }),
  forget: entry({ name: 'forget', usage: 'forget <node>', summary: 'remove a stopped node from the cluster for good (forget_cluster_node)', mutating: true, dangerous: true }),
  sync: entry({ name: 'sync', usage: 'sync <queue>', summary: 'synchronise the mirrors of a classic mirrored queue (RabbitMQ 3.x)', mutating: true, dangerous: false }),
  partitions: entry({ name: 'partitions', usage: 'partitions', summary: 'detect network partitions and say which nodes to restart', mutating: false, dangerous: false }),
  logs: entry({ name: 'logs', usage: 'logs <node> [--tail N]', summary: 'recent log lines of one node', mutating: false, dangerous: false }),
  // mutating: it writes password hashes to disk and prunes old backups (lock, the bot's stricter rule)
  backup: entry({ name: 'backup', usage: 'backup [--keep N]', summary: 'save the definitions (users, vhosts, permissions, queues, exchanges, bindings, policies) to backups/ in the cluster folder, keeping the N newest (default 10)', mutating: true, dangerous: false }),
  restore: entry({ name: 'restore', usage: 'restore <definitions-….json|latest>', summary: 'import a backup\'s definitions (adds and updates, deletes nothing)', mutating: true, dangerous: true }),
  upgrade: entry({
    name: 'upgrade',
    usage: 'upgrade --to <image> [--version X.Y.Z]',
    summary: 'rolling upgrade to a new image, node by node behind the quorum gates; refused where RabbitMQ supports no in-place path; run again to resume',
    mutating: true,
    dangerous: true,
  }),
  migrate: entry({
    name: 'migrate',
    usage: 'migrate --to <image> [--version X.Y.Z] [--subnet a.b.c.0/24] [--port-offset N] | migrate rollback | migrate retire',
    summary: 'blue-green move to a new cluster beside this one (3.x mirrored → 4.x quorum): definitions, messages by shovel, the load balancer handed over; resumable, reversible until retire',
    mutating: true,
    dangerous: true,
  }),
  'rotate-certs': entry({
    name: 'rotate-certs',
    usage: 'rotate-certs [--node <node>] [--roll-only] | rotate-certs --new-ca | rotate-certs --retire-previous-ca',
    summary: 'new TLS certificates from the cluster CA (or your files read again), rolled node by node behind the quorum gates, then nginx',
    mutating: true,
    dangerous: true,
  }),
  unlock: entry({ name: 'unlock', usage: 'unlock', summary: "break the cluster's lock when its holder is gone (e.g. a crashed process on another machine)", mutating: true, dangerous: true, withoutLock: true }),
} as const;

export type ActionName = keyof typeof CATALOG;

export const CATALOG_ENTRIES: readonly CatalogEntry[] = Object.values(CATALOG);

/** Whether running `entry` with `argv` changes the cluster (lock, mutating authorization rule). */
export function isMutating(entry: Pick<CatalogEntry, 'mutating' | 'mutatingFor'>, argv: readonly string[]): boolean {
  return entry.mutatingFor ? entry.mutatingFor(argv) : entry.mutating;
}

/** The arguments part of the usage ("<node> [--tail N]" for logs). */
export function argumentUsage(entry: Pick<CatalogEntry, 'name' | 'usage'>): string {
  return entry.usage.slice(entry.name.length).trim();
}

/** `check`'s findings by kind (ops/health/findings.ts judges them; the bot's watch config names them). */
export const CHECK_IDS = ['host-unreachable', 'node-down', 'not-clustered', 'maintenance', 'alarm', 'partition', 'no-majority', 'quorum-critical', 'unsynchronised', 'listener', 'vip', 'support', 'deprecated', 'certificate-expiry', 'certificate-name', 'certificate-trust'] as const;
/** Judged by the bot's watcher from its own samples against configured thresholds (ops/health/thresholds.ts). */
export const METRIC_CHECK_IDS = ['queue-depth', 'no-consumers', 'publish-drop'] as const;
