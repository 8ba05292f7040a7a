import { dirname, join, relative, resolve } from 'node:path';
import { ENV_FILE } from '../../contract/cluster-files.js';
import { generateCluster } from '../../generator/generate.js';
import { info, printWarnings } from '../output.js';
import { resolveSpecSource } from '../spec-source.js';

export interface GenOptions {
  file?: string;
  out: string;
  check?: boolean;
}

/** `rmq-compose gen`: plan, compare, write; returns the exit code. */
export async function runGen(options: GenOptions): Promise<number> {
  const source = await resolveSpecSource(options.file);
  info(`Using ${source.origin}`);
  const { plan, result } = await generateCluster(
    { text: source.text, name: source.name, dir: dirname(source.path) },
    {
      outDir: options.out,
      env: process.env,
      check: options.check,
      onPlan: (planned) => printWarnings(planned.warnings),
      // the manifest remembers the user's spec (not the bundled one) so `upgrade` can record a new image in it
      ...(source.bundled ? {} : { specFileFrom: (name: string) => relative(resolve(join(options.out, name)), resolve(source.path)) }),
    },
  );
  printWarnings(result.warnings.slice(plan.warnings.length));
  const dir = relative(process.cwd(), result.clusterDir) || '.';
  const changed = result.changes.filter((c) => c.kind !== 'unchanged');

  if (options.check) {
    if (result.notCompared.length > 0) info(`Not compared (git-ignored: they hold password hashes or private keys; gen writes them): ${result.notCompared.join(', ')}`);
    if (changed.length === 0) {
      info(`${dir}: up to date with ${source.name} (${result.changes.length} files)`);
      return 0;
    }
    // the diff library is needed only when something drifted
    const { describeDrift } = await import('../../generator/write/check-diff.js');
    process.stdout.write(describeDrift(result.changes));
    info(`${dir}: ${changed.length} of ${result.changes.length} files differ from ${source.name}; run \`rmq-compose gen\` to update them`);
    return 1;
  }

  const count = (kind: string) => result.changes.filter((c) => c.kind === kind).length;
  const removed = count('remove') > 0 ? `, ${count('remove')} removed` : '';
  info(`${dir}/: ${result.changes.length - count('remove')} files (${count('create')} created, ${count('update') + count('mode')} updated, ${count('unchanged')} unchanged${removed})`);
  const { generated, fromSpec, fromEnvironment } = result.secrets;
  if (generated.length > 0) info(`Generated ${generated.join(', ')} into ${dir}/${ENV_FILE} (mode 0600; kept on later runs)`);
  const issued = plan.tlsIssued ?? [];
  if (issued.length > 0) info(`Issued TLS certificates: ${issued.join(', ')} into ${dir}/tls/ (keys mode 0600; kept on later runs; clients trust ${dir}/tls/ca.pem)`);
  if (fromSpec.length > 0) info(`Moved inline secrets ${fromSpec.join(', ')} from the spec into ${dir}/${ENV_FILE}`);
  if (fromEnvironment.length > 0) info(`Taken from the environment (export them again before deploy): ${fromEnvironment.join(', ')}`);
  info(`Next: rmq-compose deploy -d ${dir}   (how to start it by hand: ${dir}/README.md)`);
  return 0;
}
