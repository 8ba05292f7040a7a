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
  /**
   * The options the action's own parser reads (ops/args/argv.ts), for `--help` and shell
   * completion; the parser stays the one that reads them. Every option in `usage` is here.
   */
  readonly options?: readonly CatalogOption[];
}

/** One option of an action's own parser, as a surface shows it. */
export interface CatalogOption {
  /** As commander writes it: "--ram", "--to <node>", "--tail <N>". */
  readonly flags: string;
  readonly description: string;
  /** What completes its value: a node of the cluster by its short name, or one of these words. */
  readonly values?: 'node' | readonly string[];
}

const entry = <const E extends CatalogEntry>(e: E): E => e;

/** restart's and drain's --force: past the quorum gate. */
const FORCE_OPTION: CatalogOption = {
  flags: '--force',
  description: 'go ahead although a queue needs the node right now (those queues stop until it is back)',
};
const TO_IMAGE = (whose: string): CatalogOption => ({ flags: '--to <image>', description: `${whose}, e.g. rabbitmq:4.4-management` });
/** upgrade's and rotate-certs' plan options (ops/plan/plan-mode.ts reads them). */
const PLAN_OPTIONS: readonly CatalogOption[] = [
  { flags: '--dry-run', description: 'show the plan (files with their diff, steps in order) and keep it; change nothing' },
  { flags: '--plan <id>', description: 'apply exactly the plan a dry run showed; refused if anything it was made from changed' },
];
/** A dry run reads only: the read-only rule, no lock, nothing asked. */
const unlessDryRun = (valueFlags: readonly string[]) => (argv: readonly string[]) => !hasDryRun(argv, valueFlags);
const VERSION_OPTION: CatalogOption = { flags: '--version <X.Y.Z>', description: 'the RabbitMQ version the image holds, when its tag does not say' };

export const CATALOG = {
  status: entry({
    name: 'status',
    usage: 'status',
    summary: 'nodes up/down, alarms, maintenance, partitions, queue replicas, load balancer and VIP',
    mutating: false,
    dangerous: false,
  }),
  check: entry({
    name: 'check',
    usage: 'check',
    summary: 'one health verdict with what to do: exit 0 healthy, 1 degraded, 2 critical (for scripts and cron)',
    mutating: false,
    dangerous: false,
  }),
  deploy: entry({
    name: 'deploy',
    usage: 'deploy',
    summary: 'start every container, wait healthy, form the cluster, apply policies',
    mutating: true,
    dangerous: true,
  }),
  join: entry({
    name: 'join',
    usage: 'join <node> [--ram|--disc] [--to <node>]',
    summary: 'reset a node and join it to the cluster (as disc or ram)',
    mutating: true,
    dangerous: true,
    options: [
      { flags: '--ram', description: 'join as a RAM node (default: its type in the spec)' },
      { flags: '--disc', description: 'join as a disc node' },
      { flags: '--to <node>', description: 'the running node to join, e.g. rabbit1 (default: the first other disc node)', values: 'node' },
    ],
  }),
  'mirror-policy': entry({
    name: 'mirror-policy',
    usage: 'mirror-policy list | set <name> <pattern> [all|exactly <N>] [--sync automatic|manual] | clear <name>',
    summary: 'list, set or clear classic mirrored-queue (ha-*) policies (RabbitMQ 3.x)',
    mutating: true,
    // `list` only reads: no lock, and the bot's readOnly rule applies
    mutatingFor: (argv: readonly string[]) => argv[0] !== 'list',
    dangerous: false,
    options: [
      {
        flags: '--sync <automatic|manual>',
        description: 'with set: ha-sync-mode, whether new mirrors copy the queue at once',
        values: ['automatic', 'manual'],
      },
    ],
  }),
  restart: entry({
    name: 'restart',
    usage: 'restart <node> [--force]',
    summary: 'restart one node and wait until it is back in the cluster (refused while a queue needs it, unless --force)',
    mutating: true,
    dangerous: false,
    options: [FORCE_OPTION],
  }),
  drain: entry({
    name: 'drain',
    usage: 'drain <node> [--force]',
    summary: 'put a node into maintenance mode (rabbitmq-upgrade drain; refused while a queue needs it, unless --force)',
    mutating: true,
    dangerous: true,
    options: [FORCE_OPTION],
  }),
  revive: entry({
    name: 'revive',
    usage: 'revive <node>',
    summary: 'take a node out of maintenance mode (rabbitmq-upgrade revive)',
    mutating: true,
    dangerous: false,
  }),
  forget: entry({
    name: 'forget',
    usage: 'forget <node>',
    summary: 'remove a stopped node from the cluster for good (forget_cluster_node)',
    mutating: true,
    dangerous: true,
  }),
  // mutating: every moved leader is an election (its queue pauses a moment); not dangerous: no
  // message, member or node is lost, and running it again changes nothing once leaders are spread
  rebalance: entry({
    name: 'rebalance',
    usage: 'rebalance',
    summary:
      'spread quorum queue leaders evenly over the running nodes (rabbitmq-queues rebalance quorum), with leaders per node before and after (RabbitMQ 4.x)',
    mutating: true,
    dangerous: false,
  }),
  sync: entry({
    name: 'sync',
    usage: 'sync <queue>',
    summary: 'synchronise the mirrors of a classic mirrored queue (RabbitMQ 3.x)',
    mutating: true,
    dangerous: false,
  }),
  partitions: entry({
    name: 'partitions',
    usage: 'partitions',
    summary: 'detect network partitions and say which nodes to restart',
    mutating: false,
    dangerous: false,
  }),
  logs: entry({
    name: 'logs',
    usage: 'logs <node> [--tail N]',
    summary: 'recent log lines of one node',
    mutating: false,
    dangerous: false,
    options: [{ flags: '--tail <N>', description: 'how many of the last lines, 1 to 10000 (default 100)' }],
  }),
  // mutating: it writes password hashes to disk and prunes old backups (lock, the bot's stricter rule)
  backup: entry({
    name: 'backup',
    usage: 'backup [--keep N]',
    summary:
      'save the definitions (users, vhosts, permissions, queues, exchanges, bindings, policies) to backups/ in the cluster folder, keeping the N newest (default 10)',
    mutating: true,
    dangerous: false,
    options: [{ flags: '--keep <N>', description: 'how many backups to keep, the newest, 1 to 1000 (default 10)' }],
  }),
  restore: entry({
    name: 'restore',
    usage: 'restore <definitions-….json|latest>',
    summary: "import a backup's definitions (adds and updates, deletes nothing)",
    mutating: true,
    dangerous: true,
  }),
  upgrade: entry({
    name: 'upgrade',
    usage: 'upgrade --to <image> [--version X.Y.Z] [--dry-run | --plan <id>]',
    summary: 'rolling upgrade to a new image, node by node behind the quorum gates; refused where RabbitMQ supports no in-place path; run again to resume',
    mutating: true,
    mutatingFor: unlessDryRun(['--to', '--version', '--plan']),
    dangerous: true,
    options: [TO_IMAGE('the new image (required)'), VERSION_OPTION, ...PLAN_OPTIONS],
  }),
  migrate: entry({
    name: 'migrate',
    mutatingFor: unlessDryRun(['--to', '--version', '--subnet', '--port-offset', '--plan']),
    usage: 'migrate --to <image> [--version X.Y.Z] [--subnet a.b.c.0/24] [--port-offset N] [--dry-run | --plan <id>] | migrate rollback | migrate retire',
    summary:
      'blue-green move to a new cluster beside this one (3.x mirrored → 4.x quorum): definitions, messages by shovel, the load balancer handed over; resumable, reversible until retire',
    mutating: true,
    dangerous: true,
    options: [
      TO_IMAGE("green's image (a resumed migration keeps its own)"),
      VERSION_OPTION,
      { flags: '--subnet <a.b.c.0/24>', description: "green's network (default: the /24 after blue's)" },
      { flags: '--port-offset <N>', description: "green's node ports are blue's plus N, 1 to 30000 (default 1000)" },
      ...PLAN_OPTIONS,
    ],
  }),
  'rotate-certs': entry({
    name: 'rotate-certs',
    mutatingFor: unlessDryRun(['--node', '--plan']),
    usage: 'rotate-certs [--node <node>] [--roll-only] | rotate-certs --new-ca | rotate-certs --retire-previous-ca; each [--dry-run | --plan <id>]',
    summary: 'new TLS certificates from the cluster CA (or your files read again), rolled node by node behind the quorum gates, then nginx',
    mutating: true,
    dangerous: true,
    options: [
      { flags: '--node <node>', description: 'only this node, e.g. rabbit2', values: 'node' },
      { flags: '--roll-only', description: 'roll the nodes on the files as they are (goes on after a gate paused a rotation)' },
      { flags: '--new-ca', description: 'step 1 of a new CA: made and trusted beside the old one, nothing it signed served yet' },
      { flags: '--retire-previous-ca', description: 'step 3 of a new CA (after a plain run, once clients trust it): the old CA no longer trusted' },
      ...PLAN_OPTIONS,
    ],
  }),
  unlock: entry({
    name: 'unlock',
    usage: 'unlock',
    summary: "break the cluster's lock when its holder is gone (e.g. a crashed process on another machine)",
    mutating: true,
    dangerous: true,
    withoutLock: true,
  }),
} as const;

export type ActionName = keyof typeof CATALOG;

export const CATALOG_ENTRIES: readonly CatalogEntry[] = Object.values(CATALOG);

/** Whether running `entry` with `argv` changes the cluster (lock, mutating authorization rule). */
export function isMutating(entry: Pick<CatalogEntry, 'mutating' | 'mutatingFor'>, argv: readonly string[]): boolean {
  return entry.mutatingFor ? entry.mutatingFor(argv) : entry.mutating;
}

/** `--dry-run` among the words as a flag (not as the value of one of `valueFlags`). */
function hasDryRun(argv: readonly string[], valueFlags: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dry-run') return true;
    if (valueFlags.includes(argv[i]!)) i++;
  }
  return false;
}

/** The arguments part of the usage ("<node> [--tail N]" for logs). */
export function argumentUsage(entry: Pick<CatalogEntry, 'name' | 'usage'>): string {
  return entry.usage.slice(entry.name.length).trim();
}

/** `check`'s findings by kind (ops/health/findings.ts judges them; the bot's watch config names them). */
export const CHECK_IDS = [
  'host-unreachable',
  'node-down',
  'not-clustered',
  'maintenance',
  'alarm',
  'partition',
  'no-majority',
  'quorum-critical',
  'unsynchronised',
  'leader-imbalance',
  'listener',
  'vip',
  'support',
  'deprecated',
  'certificate-expiry',
  'certificate-name',
  'certificate-trust',
] as const;
/** Judged by the bot's watcher from its own samples against configured thresholds (ops/health/thresholds.ts). */
export const METRIC_CHECK_IDS = ['queue-depth', 'no-consumers', 'publish-drop'] as const;
