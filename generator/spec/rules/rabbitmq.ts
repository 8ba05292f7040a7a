import { envValueProblem } from '../../../contract/env-file.js';
import { DEFAULT_IMAGE, managementImage, newestSupportedLine, outdatedTableNote, supportOn } from '../../../contract/rabbitmq-versions.js';
import type { SecretValue } from '../secret-ref.js';
import { isReference } from '../secret-ref.js';
import { atLeast, hasDefinitionsBackend } from '../version.js';
import type { Rule } from './rule.js';

export const manualFormationOn4: Rule = (model, findings) => {
  const { formation, version } = model.rabbitmq;
  if (formation === 'manual' && atLeast(version, 4, 0)) {
    findings.warn(
      'rabbitmq.formation',
      `manual formation on RabbitMQ ${version.text}: reset/join_cluster by hand is the 3.x way; formation: auto (peer discovery at boot) is simpler and survives rebuilds`,
    );
  }
};

/** default_queue_type and the relaxed redeclaration check are 4.0 settings; 3.x would not boot with them. */
export const defaultQueueTypeOn4: Rule = (model, findings) => {
  const { defaultQueueType, version } = model.rabbitmq;
  if (defaultQueueType && !atLeast(version, 4, 0)) {
    findings.error(
      'rabbitmq.defaultQueueType',
      `RabbitMQ ${version.text} has no default_queue_type setting (4.0 and later); remove it, or set the queue type per queue (x-queue-type) or per vhost`,
    );
  }
};

export const versionKnown: Rule = (model, findings) => {
  if (!model.rabbitmq.version.known) {
    findings.warn(
      'rabbitmq.image',
      `cannot tell the RabbitMQ version from "${model.rabbitmq.image}"; assuming ${model.rabbitmq.version.text}.x features (no mirroring). Use a versioned tag such as ${DEFAULT_IMAGE} or set rabbitmq.version`,
    );
  }
};

/**
 * rabbitmq.com/release-information: a line past community support gets no more public patches.
 * One warning at most: the line has ended (with the newest supported line to move to), or the
 * version table itself has run out (update rmq-compose), which is about the tool, not the spec.
 */
export const communitySupport: Rule = (model, findings, { today }) => {
  const { version } = model.rabbitmq;
  if (!version.known) return;
  const state = supportOn(version, today);
  const newest = newestSupportedLine(today);
  if (state.kind === 'ended') {
    findings.warn(
      'rabbitmq.image',
      `RabbitMQ ${version.major}.${version.minor} is past community support (${state.ended ? `ended ${state.ended}` : 'older than every line rmq-compose knows'}, rabbitmq.com/release-information): no more public patches; ` +
        (newest ? `the newest line in community support is ${newest.line} (${managementImage(newest)})` : outdatedTableNote(today)),
    );
  } else if (!newest && state.kind === 'unknown' && state.why === 'table-ran-out') {
    findings.warn('rabbitmq.image', outdatedTableNote(today));
  }
};

export const secretsAreReferences: Rule = (model, findings) => {
  const entries: Array<[string, SecretValue | { kind: 'plain'; value: string }]> = [
    ['rabbitmq.defaultUser', model.rabbitmq.defaultUser],
    ['rabbitmq.defaultPass', model.rabbitmq.defaultPass],
    ['rabbitmq.erlangCookie', model.rabbitmq.erlangCookie],
  ];
  for (const [path, value] of entries) {
    if (value.kind !== 'inline') continue;
    // inline secrets are moved to .env, which cannot hold every value
    const envProblem = envValueProblem(value.value);
    if (envProblem) {
      findings.error(path, `is moved to .env as ${value.variable}, but ${envProblem}`);
    } else if (value.value.includes('${') && !isReference(value.value)) {
      findings.error(path, `"\${…}" must be the whole value, exactly \${NAME} with uppercase letters, digits and "_" (e.g. \${${value.variable}})`);
    } else if (path !== 'rabbitmq.defaultUser') {
      findings.warn(
        path,
        `a secret written inline in the spec; it is moved to .env (not into generated files), but the spec file now holds it: use \${${value.variable}} instead`,
      );
    }
  }
  const k = model.loadBalancer?.keepalived;
  if (k?.legacyAuthPass) {
    findings.warn(
      `${k.path}.authPass`,
      "is ignored and can be removed: keepalived now speaks VRRPv3 (failover in about 2 s instead of 4), which has no authentication (VRRPv2's PASS sent it in clear on the LAN anyway); only the unicast peers' adverts are accepted (check_unicast_src)",
    );
  }
};

/** Before 3.10 there is only load_definitions, which imports at every boot of every node. */
export const definitionsBeforeSkipIfUnchanged: Rule = (model, findings) => {
  const { version, definitionsFile } = model.rabbitmq;
  if (definitionsFile === undefined || hasDefinitionsBackend(version)) return;
  findings.warn(
    'rabbitmq.definitions',
    `RabbitMQ ${version.text} has no definitions.skip_if_unchanged (3.10+): every node imports the file at every boot (load_definitions, which needs 3.8.2 or later), re-declaring what exists; fine for small files`,
  );
};
