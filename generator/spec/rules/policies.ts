import { supportsMirroring } from '../version.js';
import type { Rule } from './rule.js';

const HA_MODES = ['all', 'exactly', 'nodes'];

export const policyNamesUnique: Rule = (model, findings) => {
  const seen = new Set<string>();
  for (const policy of model.policies) {
    if (seen.has(policy.name)) findings.error(`${policy.path}.name`, `policy "${policy.name}" is defined twice; give each policy its own name`);
    seen.add(policy.name);
  }
};

/**
 * `deploy` hands a policy's vhost and pattern to `rabbitmqctl set_policy`, which reads any word
 * that starts with "-" as an option: `vhost: "--priority=5"` or `pattern: "--vhost=other"` would
 * change what the command does. The argv keeps them positional anyway; refusing them here says
 * so where the spec is written, instead of a broker error (or worse) at deploy time.
 */
export const policyValuesAreNotOptions: Rule = (model, findings) => {
  for (const policy of model.policies) {
    if (policy.pattern.startsWith('-')) {
      findings.error(
        `${policy.path}.pattern`,
        `${JSON.stringify(policy.pattern)} starts with "-", which rabbitmqctl would read as an option; write the first character as a class, ${JSON.stringify(`[-]${policy.pattern.slice(1)}`)}, which matches the same queues`,
      );
    }
    if (policy.vhost.startsWith('-')) {
      findings.error(
        `${policy.path}.vhost`,
        `${JSON.stringify(policy.vhost)} starts with "-", which rabbitmqctl would read as an option; use a vhost whose name does not start with "-" (e.g. "/" or "orders")`,
      );
    }
  }
};

export const mirroringPolicies: Rule = (model, findings) => {
  const version = model.rabbitmq.version;
  for (const policy of model.policies) {
    const haKeys = Object.keys(policy.definition).filter((k) => k.startsWith('ha-'));
    if (haKeys.length === 0) continue;
    if (!supportsMirroring(version)) {
      findings.error(
        `${policy.path}.definition`,
        `${haKeys.join(', ')}: classic queue mirroring was removed in RabbitMQ 4.0 and ${model.rabbitmq.image} is ${version.text}; remove this policy and declare queues as quorum queues (argument x-queue-type: quorum; they replicate across nodes by themselves), or use a 3.x image for the seed's mirrored setup`,
      );
      continue;
    }
    const mode = policy.definition['ha-mode'];
    if (mode === undefined) {
      findings.error(`${policy.path}.definition`, 'a mirroring policy needs ha-mode: all, exactly or nodes');
    } else if (!HA_MODES.includes(String(mode))) {
      findings.error(`${policy.path}.definition.ha-mode`, `"${String(mode)}" is not a mirroring mode; use all, exactly or nodes`);
    } else if (mode === 'exactly') {
      const count = policy.definition['ha-params'];
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
        findings.error(`${policy.path}.definition.ha-params`, 'ha-mode exactly needs ha-params: the number of replicas (a whole number, e.g. 2)');
      } else if (count > model.nodes.length) {
        findings.warn(`${policy.path}.definition.ha-params`, `${count} replicas but only ${model.nodes.length} nodes`);
      }
    }
    if (policy.applyTo === 'exchanges') {
      findings.error(`${policy.path}.applyTo`, 'mirroring applies to queues; set applyTo: queues');
    }
  }
};
