import type { Command } from 'commander';
import type { OpsCliOptions } from './commands/ops-run.js';

/**
 * The operations commands. Names and one-line summaries are listed here so `--help` loads no
 * ops code; the arguments after the command name go to the action's own parser unchanged (the
 * same parser the Slack bot uses), and a unit test keeps this list in step with the action table.
 */
export const OPS_COMMANDS: ReadonlyArray<{ name: string; args: string; summary: string }> = [
  { name: 'status', args: '', summary: 'nodes up/down, alarms, maintenance, partitions, queue replicas, load balancer and VIP' },
  { name: 'deploy', args: '', summary: 'start every container, wait healthy, form the cluster, apply policies' },
  { name: 'join', args: '<node> [--ram|--disc] [--to <node>]', summary: 'reset a node and join it to the cluster (as disc or ram)' },
  { name: 'mirror-policy', args: 'list | set <name> <pattern> [all|exactly <N>] [--sync automatic|manual] | clear <name>', summary: 'list, set or clear classic mirrored-queue (ha-*) policies (RabbitMQ 3.x)' },
  { name: 'restart', args: '<node>', summary: 'restart one node and wait until it is back in the cluster' },
  { name: 'drain', args: '<node>', summary: 'put a node into maintenance mode (rabbitmq-upgrade drain)' },
  { name: 'revive', args: '<node>', summary: 'take a node out of maintenance mode (rabbitmq-upgrade revive)' },
  { name: 'forget', args: '<node>', summary: 'remove a stopped node from the cluster for good (forget_cluster_node)' },
  { name: 'sync', args: '<queue>', summary: 'synchronise the mirrors of a classic mirrored queue (RabbitMQ 3.x)' },
  { name: 'partitions', args: '', summary: 'detect network partitions and say which nodes to restart' },
  { name: 'logs', args: '<node> [--tail N]', summary: 'recent log lines of one node' },
];

export function registerOpsCommands(program: Command): void {
  for (const spec of OPS_COMMANDS) {
    program
      .command(spec.name)
      .usage(`${spec.args ? `${spec.args} ` : ''}[-d <cluster dir>] [--json] [--yes]`)
      .description(spec.summary)
      .argument('[args...]')
      // action options (--ram, --tail …) pass through to the action's parser
      .allowUnknownOption(true)
      .option('-d, --dir <dir>', 'generated cluster folder (default: the only cluster under ./compose/)')
      .option('--json', 'print the result data as JSON')
      .option('-y, --yes', 'do not ask before dangerous actions (required when stdin is not a terminal)')
      .option('--audit <file>', 'audit log (default: <cluster dir>/audit.log)')
      .action(async (args: string[], options: OpsCliOptions) => {
        // loaded on use: `rmq-compose --help` and `gen` must not load the operations core
        const { runOpsCommand } = await import('./commands/ops-run.js');
        process.exitCode = await runOpsCommand(spec.name, args, options);
      });
  }
}
