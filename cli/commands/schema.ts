import type { Command } from 'commander';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the cluster spec (for editor completion)')
    .action(async () => {
      const { specJsonSchema } = await import('../../generator/spec/json-schema.js');
      process.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    });
}
