import { z } from 'zod';
import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import { extractJson } from './json-output.js';

type Node = ClusterManifest['nodes'][number];

/**
 * What RabbitMQ's upgrade guide asks before and after a rolling upgrade
 * (https://www.rabbitmq.com/docs/upgrade, "Enable all feature flags", "Deprecated features",
 * "Rebalance"), each asked of one node through `docker compose exec`.
 */

const FeatureFlags = z.array(z.looseObject({ name: z.string(), state: z.string(), stability: z.string().optional() }));

/** Stable feature flags that are not enabled (they must be before a node of the next line joins). */
export async function stableFlagsOff(compose: ComposeClient, node: Node): Promise<string[]> {
  const r = await compose.exec(node.service, ['rabbitmqctl', '-q', 'list_feature_flags', 'name', 'state', 'stability', '--formatter', 'json'], 60_000);
  if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `list_feature_flags (${node.name})`);
  return FeatureFlags.parse(extractJson(r.stdout))
    .filter((f) => f.state !== 'enabled' && (f.stability === undefined || f.stability === 'stable'))
    .map((f) => f.name)
    .sort();
}

/** `rabbitmqctl enable_feature_flag all`: every stable flag; experimental ones are left alone. */
export async function enableAllFeatureFlags(compose: ComposeClient, node: Node): Promise<void> {
  const r = await compose.exec(node.service, ['rabbitmqctl', 'enable_feature_flag', 'all'], 300_000);
  if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `enable_feature_flag all (${node.name})`);
}

const DeprecatedFeatures = z.array(z.looseObject({ name: z.string(), deprecation_phase: z.string().optional() }));

/**
 * Deprecated features the cluster uses (`list_deprecated_features --used`, 3.13 and later); they
 * may stop working on the next line. undefined when the node's CLI does not have the command.
 */
export async function deprecatedFeaturesUsed(compose: ComposeClient, node: Node): Promise<string[] | undefined> {
  const r = await compose.exec(node.service, ['rabbitmqctl', '-q', 'list_deprecated_features', '--used', '--formatter', 'json'], 60_000);
  if (r.exitCode !== 0 || r.timedOut) {
    // 3.12 and older: no such command (exit 64, "Command not found")
    if (!r.timedOut && /command not found|no such command|usage/i.test(`${r.stdout}\n${r.stderr}`)) return undefined;
    throw new CommandFailedError(r, `list_deprecated_features (${node.name})`);
  }
  return DeprecatedFeatures.parse(extractJson(r.stdout || '[]')).map((f) => (f.deprecation_phase ? `${f.name} (${f.deprecation_phase})` : f.name));
}

/**
 * Before a node stops on purpose during an upgrade: wait (up to `seconds`) until every quorum
 * queue and stream has a member more than its quorum online, and on 3.x until every mirrored
 * queue has a synchronised mirror elsewhere. Resolves with what RabbitMQ said when it did not.
 */
export async function awaitSafeToStop(compose: ComposeClient, node: Node, mirroring: boolean, seconds: number): Promise<string | undefined> {
  const commands = ['await_online_quorum_plus_one', ...(mirroring ? ['await_online_synchronized_mirror'] : [])];
  for (const command of commands) {
    const r = await compose.exec(node.service, ['rabbitmq-upgrade', '-t', String(seconds), command], (seconds + 30) * 1000);
    if (r.exitCode !== 0 || r.timedOut) return `${command}: ${r.timedOut ? 'no answer' : lastLine(`${r.stdout}\n${r.stderr}`) || `exit ${r.exitCode}`}`;
  }
  return undefined;
}

/** `rabbitmq-queues rebalance quorum`: spread quorum queue leaders over the nodes again. */
export async function rebalanceQuorumLeaders(compose: ComposeClient, node: Node): Promise<void> {
  const r = await compose.exec(node.service, ['rabbitmq-queues', 'rebalance', 'quorum'], 300_000);
  if (r.exitCode !== 0 || r.timedOut) throw new CommandFailedError(r, `rebalance quorum (${node.name})`);
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1)
      ?.trim()
      .slice(0, 300) ?? ''
  );
}
