import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { UserError } from '../../lib/errors.js';
import { packageRoot } from '../../lib/package-root.js';
import { info } from '../output.js';
import { withSchemaReference } from './init-schema.js';
import { LOCAL_SPEC } from '../spec-source.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(`write a commented starter ${LOCAL_SPEC}`)
    .option('-o, --output <file>', 'where to write it', LOCAL_SPEC)
    .option('--force', 'replace an existing file')
    .action(async (options: { output: string; force?: boolean }) => {
      if (existsSync(options.output) && !options.force) {
        throw new UserError(`${options.output} already exists; edit it, or pass --force to replace it`);
      }
      const starter = await readFile(join(packageRoot(), 'templates', 'rmq-cluster.init.yaml'), 'utf8');
      await writeFileAtomic(options.output, withSchemaReference(starter, options.output));
      info(`Wrote ${options.output}. Next: rmq-compose validate, then rmq-compose gen`);
    });
}
