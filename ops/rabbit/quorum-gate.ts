import type { ClusterManifest } from '../../contract/manifest.js';
import type { ComposeClient } from '../compose/compose-client.js';

type Node = ClusterManifest['nodes'][number];

export interface QuorumGate {
  /** True when stopping the node now would cost some queue its majority or its last synchronised mirror. */
  critical: boolean;
  /** What RabbitMQ said, for the refusal (one line per finding). */
  findings: string[];
}

/**
 * RabbitMQ's own answer to "can this node stop now?": `rabbitmq-queues
 * check_if_node_is_quorum_critical` (quorum queues that would lose their majority) and, for
 * classic mirrored queues (3.x), `check_if_node_is_mirror_sync_critical` (queues whose only
 * synchronised replica is on this node). Each exits 0 when the node can go. Anything else the
 * check prints (the queues, or why it could not tell) is kept for the refusal.
 */
export async function quorumGate(compose: ComposeClient, node: Node, mirroring: boolean): Promise<QuorumGate> {
  const checks = ['check_if_node_is_quorum_critical', ...(mirroring ? ['check_if_node_is_mirror_sync_critical'] : [])];
  const findings: string[] = [];
  for (const check of checks) {
    const r = await compose.exec(node.service, ['rabbitmq-queues', check], 120_000);
    if (r.exitCode === 0 && !r.timedOut) continue;
    const said = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^(Usage|rabbitmq-queues \[|Arguments given|Error:?$)/.test(l))
      .slice(0, 8);
    findings.push(`${check}: ${r.timedOut ? 'no answer within 120 s' : said.join(' ') || `exit ${r.exitCode}`}`);
  }
  return { critical: findings.length > 0, findings };
}
