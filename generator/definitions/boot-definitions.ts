import type { Finding } from '../../lib/findings.js';
import type { ClusterModel } from '../spec/model.js';
import { defaultUserFindings, definitionsJson, withDefaultUser } from './default-user.js';
import { DEFINITIONS_SPEC_PATH, type BootDefinitions } from './parse-definitions.js';

/** The boot definitions as the render needs them. */
export interface BootDefinitionsRender {
  /** definitions.json as the nodes import it. */
  json: string;
  /** Whether gen added the default user (the file had none of that name), and the "/" vhost. */
  addedUser: boolean;
  addedVhost: boolean;
}

export type BootDefinitionsResult =
  { render: BootDefinitionsRender; warnings: Finding[]; errors: [] } | { render: undefined; warnings: Finding[]; errors: Finding[] };

/**
 * The definitions.json the nodes import: the spec's file with the default user added. Needs the
 * default user's name and password as Compose will see them (`secretValues`: the environment,
 * then .env, then what this gen run generates), because the file carries the password's hash.
 */
export function bootDefinitionsFile(model: ClusterModel, definitions: BootDefinitions, secretValues: ReadonlyMap<string, string>): BootDefinitionsResult {
  const r = model.rabbitmq;
  const file = r.definitionsFile ?? '';
  const name = r.defaultUser.kind === 'plain' ? r.defaultUser.value : secretValues.get(r.defaultUser.variable);
  const password = secretValues.get(r.defaultPass.variable);
  const missing = [
    ...(name === undefined && r.defaultUser.kind !== 'plain' ? [r.defaultUser.variable] : []),
    ...(password === undefined ? [r.defaultPass.variable] : []),
  ];
  if (name === undefined || password === undefined) {
    const message = `the file gets the default user's password hash, so gen needs ${missing.join(' and ')}: export ${missing.length > 1 ? 'them' : 'it'} or add ${missing.map((v) => `${v}=…`).join(', ')} to the cluster's .env`;
    return { render: undefined, warnings: [], errors: [{ path: DEFINITIONS_SPEC_PATH, message }] };
  }
  const warnings = defaultUserFindings(definitions, file, name, r.defaultPass.variable);
  const merged = withDefaultUser(definitions, { name, password }, model.name);
  return { render: { json: definitionsJson(merged.definitions), addedUser: merged.addedUser, addedVhost: merged.addedVhost }, warnings, errors: [] };
}
