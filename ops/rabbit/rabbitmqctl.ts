import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import type { CommandResult } from '../runner/command.js';
import { parseClusterStatus, type ClusterStatus } from './parse-cluster-status.js';
import { parsePolicies, type Policy } from './parse-policies.js';
import { parseQueues, parseQueuesTable3, queueColumns, type QueueReplication } from './parse-queues.js';

type Node = ClusterManifest['nodes'][number];
export type PolicySpec = Omit<Policy, 'vhost'> & { vhost?: string };

/**
 * rabbitmqctl reads its argv with Elixir's OptionParser, anywhere on the line: a value such as a
 * vhost "--priority=5" or a pattern "--vhost=other" given on its own would become an option. So a
 * value always goes after `--` (OptionParser ends options there, and rabbitmqctl parses the whole
 * line twice, both times the same way), and an option's value is glued to it (`--vhost=<v>`):
 * after a bare `-p`, a value that starts with "-" is not taken as its value but parsed itself.
 */
export const END_OF_OPTIONS = '--';
/** `rabbitmq-queues rebalance quorum` may take this long (thousands of queues, one election each). */
export const REBALANCE_TIMEOUT_MS = 600_000;
export const vhostOption = (vhost: string) => `--vhost=${vhost}`;

/**
 * rabbitmqctl, rabbitmq-upgrade and rabbitmq-diagnostics inside a node's container
 * (`compose exec -T <service> …`), which talk to that container's own node. JSON where the tool
 * has it; every argument is its own argv entry, so names and patterns are never shell-parsed,
 * and every value sits where rabbitmqctl cannot take it for an option (see END_OF_OPTIONS).
 */
export class RabbitCtl {
  constructor(private readonly compose: ComposeClient) {}

  async clusterStatus(node: Node): Promise<ClusterStatus> {
    return parseClusterStatus((await this.tool(node, 'rabbitmqctl', ['-q', 'cluster_status', '--formatter', 'json'], 'cluster_status')).stdout);
  }

  async listQueues(node: Node, major: number, vhost = '/'): Promise<QueueReplication[]> {
    if (major < 4) {
      const r = await this.tool(
        node,
        'rabbitmqctl',
        ['-q', 'list_queues', vhostOption(vhost), '--no-table-headers', END_OF_OPTIONS, ...queueColumns(major)],
        'list_queues',
      );
      return parseQueuesTable3(r.stdout);
    }
    const r = await this.tool(
      node,
      'rabbitmqctl',
      ['-q', 'list_queues', vhostOption(vhost), '--formatter', 'json', END_OF_OPTIONS, ...queueColumns(major)],
      'list_queues',
    );
    return parseQueues(r.stdout, major);
  }

  async listPolicies(node: Node, vhost = '/'): Promise<Policy[]> {
    return parsePolicies((await this.tool(node, 'rabbitmqctl', ['-q', 'list_policies', vhostOption(vhost), '--formatter', 'json'], 'list_policies')).stdout);
  }

  async setPolicy(node: Node, p: PolicySpec): Promise<void> {
    // --priority=-1 glued too: a negative number on its own is a value only by OptionParser's grace
    const args = [
      'set_policy',
      vhostOption(p.vhost ?? '/'),
      `--apply-to=${p.applyTo}`,
      `--priority=${p.priority}`,
      END_OF_OPTIONS,
      p.name,
      p.pattern,
      JSON.stringify(p.definition),
    ];
    await this.tool(node, 'rabbitmqctl', args, `set_policy ${p.name}`);
  }

  async clearPolicy(node: Node, name: string, vhost = '/'): Promise<void> {
    await this.tool(node, 'rabbitmqctl', ['clear_policy', vhostOption(vhost), END_OF_OPTIONS, name], `clear_policy ${name}`);
  }

  /** Until the RabbitMQ app runs on `node` (a healthy container only means its Erlang VM answers ping). */
  awaitStartup = (node: Node, timeoutSec: number) =>
    this.tool(node, 'rabbitmqctl', ['await_startup', '--timeout', String(timeoutSec)], `await_startup on ${node.name}`, (timeoutSec + 30) * 1000);
  stopApp = (node: Node) => this.tool(node, 'rabbitmqctl', ['stop_app'], `stop_app on ${node.name}`, 120_000);
  reset = (node: Node) => this.tool(node, 'rabbitmqctl', ['reset'], `reset on ${node.name}`, 120_000);
  startApp = (node: Node) => this.tool(node, 'rabbitmqctl', ['start_app'], `start_app on ${node.name}`, 300_000);

  joinCluster(node: Node, to: Node, ram: boolean): Promise<CommandResult> {
    return this.tool(
      node,
      'rabbitmqctl',
      ['join_cluster', ...(ram ? ['--ram'] : []), END_OF_OPTIONS, to.erlangNode],
      `join_cluster of ${node.name} to ${to.erlangNode}`,
      120_000,
    );
  }

  /** Run on `from` (a running member) to remove the stopped `gone` from the cluster for good. */
  forgetClusterNode(from: Node, gone: Node): Promise<CommandResult> {
    return this.tool(from, 'rabbitmqctl', ['forget_cluster_node', END_OF_OPTIONS, gone.erlangNode], `forget_cluster_node ${gone.erlangNode}`, 120_000);
  }

  syncQueue(node: Node, queue: string, vhost = '/'): Promise<CommandResult> {
    return this.tool(node, 'rabbitmqctl', ['sync_queue', vhostOption(vhost), END_OF_OPTIONS, queue], `sync_queue ${queue}`, 600_000);
  }

  /**
   * Moves quorum queue leaders so that each running node leads about as many (every vhost). One
   * leader election per moved queue: each moved queue pauses for a moment. Ten minutes at most.
   */
  rebalanceQuorum = (node: Node) => this.tool(node, 'rabbitmq-queues', ['rebalance', 'quorum'], `rebalance quorum (${node.name})`, REBALANCE_TIMEOUT_MS);

  drain = (node: Node) => this.tool(node, 'rabbitmq-upgrade', ['drain'], `drain ${node.name}`, 600_000);
  revive = (node: Node) => this.tool(node, 'rabbitmq-upgrade', ['revive'], `revive ${node.name}`, 300_000);

  private async tool(node: Node, program: string, args: readonly string[], what: string, timeoutMs = 60_000): Promise<CommandResult> {
    const result = await this.compose.exec(node.service, [program, ...args], timeoutMs);
    if (result.exitCode !== 0 || result.timedOut) throw new CommandFailedError(result, `${what} (${node.name})`);
    return result;
  }
}
