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
