import type { ClusterManifest } from '../../contract/manifest.js';
import { RefusedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { quorumGate } from '../rabbit/quorum-gate.js';
import type { ActionContext } from '../action.js';
import { step } from './step.js';

type Node = ClusterManifest['nodes'][number];

/**
 * Before a node is stopped on purpose (restart, drain): refuse when RabbitMQ says some queue
 * needs it right now, unless the operator said --force. The gate's findings go into the
 * refusal, and into the step's detail when forced, so the audit says what was overridden.
 */
export async function passQuorumGate(ctx: ActionContext, s: ClusterServices, node: Node, verb: 'restart' | 'drain', force: boolean): Promise<void> {
  const gate = await step(
    ctx,
    'quorum-gate',
    `can ${node.name} stop without a queue losing its majority${ctx.cluster.manifest.rabbitmq.mirroring ? ' or its last synchronised mirror' : ''}?`,
    () => quorumGate(s.compose, node, ctx.cluster.manifest.rabbitmq.mirroring),
    (g) => (g.critical ? `critical${force ? ' (forced past with --force)' : ''}: ${g.findings.join('; ')}` : 'no queue depends on it alone'),
  );
  if (!gate.critical || force) return;
  throw new RefusedError(
    [
      `not ${verb === 'restart' ? 'restarting' : 'draining'} ${node.name}: some queues need it right now, RabbitMQ says`,
      ...gate.findings.map((f) => `  ${f}`),
      `Wait until their other replicas are online (rmq-compose status), or run \`${verb} ${node.name} --force\` to go ahead and accept that those queues stop until it is back.`,
    ].join('\n'),
  );
}
