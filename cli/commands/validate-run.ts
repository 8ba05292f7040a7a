import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ENV_FILE } from '../../contract/cluster-files.js';
import { countDefinitions, type Definitions } from '../../contract/definitions.js';
import { parseEnvFile } from '../../contract/env-file.js';
import { formatFinding, type Finding } from '../../lib/findings.js';
import { defaultUserFindings } from '../../generator/definitions/default-user.js';
import type { BootDefinitions } from '../../generator/definitions/parse-definitions.js';
import { loadSpecFiles } from '../../generator/spec/load-spec-files.js';
import type { ClusterModel } from '../../generator/spec/model.js';
import { resolveSecrets } from '../../generator/write/secrets.js';
import { info, printWarnings } from '../output.js';
import { resolveSpecSource } from '../spec-source.js';

/** `rmq-compose validate`: every error and warning, nothing written. */
export async function runValidate(options: { file?: string; out: string }): Promise<void> {
  const source = await resolveSpecSource(options.file);
  const { model, errors, warnings, definitions } = await loadSpecFiles(source.text, dirname(source.path));
  const secrets = model ? await secretsOf(model, options.out) : undefined;
  const all = [...errors, ...(secrets?.errors ?? [])];
  if (model && definitions && secrets) warnings.push(...definitionsWarnings(model, definitions, secrets.userName));
  printWarnings(warnings);
  if (all.length > 0) {
    process.stderr.write(`${source.path}: ${all.length} problem(s):\n${all.map((e) => `  - ${formatFinding(e)}`).join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const boot = definitions ? `, boot definitions ${model!.rabbitmq.definitionsFile} (${summary(definitions)})` : '';
  info(`${source.path}: valid (${model!.nodes.length} nodes, RabbitMQ ${model!.rabbitmq.version.text}, formation ${model!.rabbitmq.formation}${boot}${warnings.length ? `, ${warnings.length} warning(s)` : ''})`);
}

/** Unresolvable secrets, and the default user's name where the environment or .env has it. */
async function secretsOf(model: ClusterModel, out: string): Promise<{ errors: Finding[]; userName: string | undefined }> {
  const envPath = join(out, model.name, ENV_FILE);
  const existing = parseEnvFile(await readFile(envPath, 'utf8').catch(() => ''));
  const user = model.rabbitmq.defaultUser;
  const userName = user.kind === 'plain' ? user.value : process.env[user.variable] || existing.get(user.variable);
  return { errors: resolveSecrets(model.secrets, process.env, existing, envPath).errors, userName };
}

function definitionsWarnings(model: ClusterModel, definitions: BootDefinitions, userName: string | undefined): Finding[] {
  if (userName === undefined) return [];
  return defaultUserFindings(definitions, model.rabbitmq.definitionsFile!, userName, model.rabbitmq.defaultPass.variable);
}

/** `2 users, 3 vhosts, 5 queues`: the lists the file has. */
function summary(definitions: Definitions): string {
  return Object.entries(countDefinitions(definitions))
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ') || 'empty';
}
