import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENV_FILE } from '../../contract/cluster-files.js';
import { formatFinding } from '../../lib/findings.js';
import { loadSpec } from '../../generator/spec/load-spec.js';
import { parseEnvFile } from '../../contract/env-file.js';
import { resolveSecrets } from '../../generator/write/secrets.js';
import { info, printWarnings } from '../output.js';
import { resolveSpecSource } from '../spec-source.js';

/** `rmq-compose validate`: every error and warning, nothing written. */
export async function runValidate(options: { file?: string; out: string }): Promise<void> {
  const source = await resolveSpecSource(options.file);
  const { model, errors, warnings } = loadSpec(source.text);
  const secretErrors = model ? await unresolvedSecrets(model, options.out) : [];
  const all = [...errors, ...secretErrors];
  printWarnings(warnings);
  if (all.length > 0) {
    process.stderr.write(`${source.path}: ${all.length} problem(s):\n${all.map((e) => `  - ${formatFinding(e)}`).join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  info(`${source.path}: valid (${model!.nodes.length} nodes, RabbitMQ ${model!.rabbitmq.version.text}, formation ${model!.rabbitmq.formation}${warnings.length ? `, ${warnings.length} warning(s)` : ''})`);
}

async function unresolvedSecrets(model: NonNullable<ReturnType<typeof loadSpec>['model']>, out: string) {
  const envPath = join(out, model.name, ENV_FILE);
  const text = await readFile(envPath, 'utf8').catch(() => '');
  return resolveSecrets(model.secrets, process.env, parseEnvFile(text), envPath).errors;
}
