import type { Command } from 'commander';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a spec and print its errors and warnings; writes nothing')
    .option('-f, --file <spec>', 'cluster spec (default: ./rmq-cluster.yaml, else the bundled seed cluster)')
    .option('-o, --out <dir>', 'output folder whose <name>/.env is consulted for secrets', 'compose')
    .action(async (options: { file?: string; out: string }) => {
      const { runValidate } = await import('./validate-run.js');
      await runValidate(options);
    });
}
