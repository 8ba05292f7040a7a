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
import { paint, stderrColour, stdoutColour } from '../colour.js';
import { info, printWarnings } from '../output.js';
import { resolveSpecSource } from '../spec-source.js';

/** What `validate --json` prints: one object, the same findings the text mode lists. */
export interface ValidateReport {
  valid: boolean;
  /** The spec read (-f, ./rmq-cluster.yaml or the bundled seed). */
  file: string;
  errors: Finding[];
  warnings: Finding[];
  /** What the spec describes, once it could be read as a cluster (null when it could not). */
  summary: ValidateSummary | null;
}

export interface ValidateSummary {
  cluster: string;
  nodes: number;
  rabbitmq: string;
  formation: ClusterModel['rabbitmq']['formation'];
  /** The boot definitions file and how many of each kind it holds, when the spec names one. */
  bootDefinitions: { file: string; counts: ReturnType<typeof countDefinitions> } | null;
}

/** `rmq-compose validate`: every error and warning, nothing written. Exit 0 valid, 2 invalid, with or without --json. */
export async function runValidate(options: { file?: string; out: string; json?: boolean }): Promise<void> {
  const source = await resolveSpecSource(options.file);
  const { model, errors, warnings, definitions } = await loadSpecFiles(source.text, dirname(source.path));
  const secrets = model ? await secretsOf(model, options.out) : undefined;
  const all = [...errors, ...(secrets?.errors ?? [])];
  if (model && definitions && secrets) warnings.push(...definitionsWarnings(model, definitions, secrets.userName));
  if (all.length > 0) process.exitCode = 2;
  if (options.json) {
    const report: ValidateReport = { valid: all.length === 0, file: source.path, errors: all, warnings, summary: model ? summaryOf(model, definitions) : null };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  printWarnings(warnings);
  if (all.length > 0) {
    process.stderr.write(
      `${source.path}: ${paint(`${all.length} problem(s)`, 'red', stderrColour())}:\n${all.map((e) => `  - ${formatFinding(e)}`).join('\n')}\n`,
    );
    return;
  }
  const boot = definitions ? `, boot definitions ${model!.rabbitmq.definitionsFile} (${summary(definitions)})` : '';
  info(
    `${source.path}: ${paint('valid', 'green', stdoutColour())} (${model!.nodes.length} nodes, RabbitMQ ${model!.rabbitmq.version.text}, formation ${model!.rabbitmq.formation}${boot}${warnings.length ? `, ${warnings.length} warning(s)` : ''})`,
  );
}

function summaryOf(model: ClusterModel, definitions: BootDefinitions | undefined): ValidateSummary {
  const file = model.rabbitmq.definitionsFile;
  return {
    cluster: model.name,
    nodes: model.nodes.length,
    rabbitmq: model.rabbitmq.version.text,
    formation: model.rabbitmq.formation,
    bootDefinitions: definitions && file ? { file, counts: countDefinitions(definitions) } : null,
  };
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
  return (
    Object.entries(countDefinitions(definitions))
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ') || 'empty'
  );
}
