import type { Command } from 'commander';
import type { GenOptions } from './gen-run.js';

export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('generate the cluster (compose, nginx, keepalived, RabbitMQ config) from a spec')
    .option('-f, --file <spec>', `cluster spec (default: ./rmq-cluster.yaml, else the bundled seed cluster)`)
    .option('-o, --out <dir>', 'output folder; the cluster goes to <dir>/<name>/', 'compose')
    .option('--check', 'write nothing; exit 1 and print a diff when the files on disk differ from the spec')
    .option('--diff', 'also print the unified diff of every file gen changes')
    .option('--force', 'overwrite files edited by hand since the last gen, keeping each as <file>.hand-edited-<UTC time>')
    .option('--json', 'print { cluster, dir, files, warnings, handEdited, secrets } as JSON on stdout instead')
    .action(async (options: GenOptions) => {
      // loaded on use, so `--help` and the other commands do not pay for the generator
      const { runGen } = await import('./gen-run.js');
      process.exitCode = await runGen(options);
    });
}
