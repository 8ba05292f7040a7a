import { HOSTNAME_LABEL } from '../../../contract/names.js';
import { atLeast, hasMnesia } from '../version.js';
import type { Rule } from './rule.js';

/** RFC 1123 label: what Docker accepts as a hostname and Erlang as the host part of rabbit@host. */

export const uniqueNodeNames: Rule = (model, findings) => {
  const seen = new Map<string, string>();
  for (const node of model.nodes) {
    const first = seen.get(node.name);
    if (first) findings.error(`${node.path}.name`, `"${node.name}" is already used by ${first}; give every node its own name`);
    else seen.set(node.name, node.path);
  }
};

export const nodeNamesAreHostnames: Rule = (model, findings) => {
  for (const node of model.nodes) {
    if (HOSTNAME_LABEL.test(node.name)) continue;
    const suggestion =
      node.name
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'rabbit1';
    findings.error(
      `${node.path}.name`,
      `"${node.name}" is not a valid hostname (it becomes the container hostname and the Erlang node rabbit@${node.name}); use lowercase letters, digits and "-", e.g. "${suggestion}"`,
    );
  }
};

export const atLeastOneDiscNode: Rule = (model, findings) => {
  if (model.nodes.length > 0 && !model.nodes.some((n) => n.type === 'disc')) {
    findings.error('nodes', 'no disc node: a cluster needs at least one disc node to keep its metadata; set type: disc on one node (the seed uses rabbit1)');
  }
};

export const oddNodeCount: Rule = (model, findings) => {
  if (model.nodes.length > 1 && model.nodes.length % 2 === 0) {
    findings.warn(
      'nodes',
      `${model.nodes.length} nodes: an even count tolerates no more failures than one node fewer and can split evenly; prefer ${model.nodes.length + 1} or ${model.nodes.length - 1}`,
    );
  }
};

export const ramNodes: Rule = (model, findings) => {
  const version = model.rabbitmq.version;
  for (const node of model.nodes.filter((n) => n.type === 'ram')) {
    if (!hasMnesia(version)) {
      findings.error(`${node.path}.type`, `RAM nodes do not exist in RabbitMQ ${version.text} (4.3 removed Mnesia); use type: disc`);
    } else {
      const extra = atLeast(version, 4, 0) ? ' and go away in 4.3' : '';
      findings.warn(
        `${node.path}.type`,
        `"${node.name}" is a RAM node: a legacy feature that saves little${extra}; quorum queues and streams ignore it. Prefer type: disc`,
      );
    }
  }
};
