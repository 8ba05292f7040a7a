import type { NodeModel } from '../spec/model.js';
import { formatMemory } from '../spec/memory-size.js';
import { file, type RenderedFile } from './rendered-file.js';

/** Where a node's memory settings are mounted: conf.d is read after rabbitmq.conf (3.9+ and the official image). */
export const NODE_MEMORY_CONF_TARGET = '/etc/rabbitmq/conf.d/30-rmq-compose-memory.conf';

export function nodeMemoryPath(node: NodeModel): string {
  return `rabbitmq/memory-${node.name}.conf`;
}

/**
 * One node's memory alarm, in a file of its own: nodes differ (their own limits, or how many share
 * a machine) while rabbitmq.conf is one file for all of them.
 */
export function nodeMemoryFile(node: NodeModel, header: string): RenderedFile {
  const m = node.memory;
  const why =
    m.watermark.kind === 'absolute'
      ? `# ${node.name} is limited to ${formatMemory(m.limitBytes!)} (${m.path}); its memory alarm is a share of that limit, set\n` +
        `# as an absolute value: RabbitMQ does not always see a container's limit and would read the machine's memory.\n` +
        `vm_memory_high_watermark.absolute = ${m.watermark.bytes}\n`
      : `# ${node.name} has no memory limit (resources.memory) and shares its machine with ${m.nodesOnHost - 1} other node(s):\n` +
        `# each alarms at rabbitmq.memoryHighWatermark / ${m.nodesOnHost} of the machine's memory, so together they stay within it.\n` +
        `vm_memory_high_watermark.relative = ${m.watermark.fraction}\n`;
  return file(nodeMemoryPath(node), `# ${header}\n${why}`);
}
