import type { Command } from 'commander';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a spec and print its errors and warnings; writes nothing (exit 0 valid, 2 invalid)')
    .option('-f, --file <spec>', 'cluster spec (default: ./rmq-cluster.yaml, else the bundled seed cluster)')
    .option('-o, --out <dir>', 'output folder whose <name>/.env is consulted for secrets', 'compose')
    .option('--json', 'print { valid, file, errors, warnings, summary } as JSON on stdout instead (errors and warnings as { path, message })')
    .action(async (options: { file?: string; out: string; json?: boolean }) => {
      const { runValidate } = await import('./validate-run.js');
      await runValidate(options);
    });
}
