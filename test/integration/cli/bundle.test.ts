import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { cleanEnv, runCli, withTempDir } from '../../helpers/cli.js';
import { FIXTURE_PASSWORD, planSpecFile, specNames, specPath } from '../../helpers/spec-files.js';
import { withRecord } from '../../../generator/write/gen-record.js';

/**
 * The built CLI is an esbuild bundle whose templates are precompiled at build time (the sources
 * compile them at run time): both must write the same bytes and modes for every example spec.
 */
describe('the bundled CLI writes what the sources render', () => {
  test.each(specNames())('%s', async (name) => {
    await withTempDir(async (dir) => {
      // the fixtures' password, so the definitions' hash is the same as the plan's
      const result = await runCli(['gen', '-f', specPath(name), '-o', 'out'], { cwd: dir, env: cleanEnv({ RABBITMQ_DEFAULT_PASS: FIXTURE_PASSWORD }) });
      expect(result.exitCode).toBe(0);
      // gen -f records where the user's spec is (relative to the cluster folder), for upgrade
      const plan = planSpecFile(specPath(name), `${name}.yaml`, (cluster) => relative(join(dir, 'out', cluster), specPath(name)));
      const clusterDir = join(dir, 'out', plan.model.name);
      // the manifest as gen writes it records every file's hash (generator/write/gen-record.ts)
      for (const file of withRecord(plan.files).files) {
        const path = join(clusterDir, file.path);
        expect({ path: file.path, contents: await readFile(path, 'utf8'), mode: (await stat(path)).mode & 0o777 }).toEqual({
          path: file.path,
          contents: file.contents,
          mode: file.mode,
        });
      }
    });
  });
});
