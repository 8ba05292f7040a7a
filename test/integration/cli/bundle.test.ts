import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { planCluster } from '../../../generator/plan.js';
import { cleanEnv, runCli, withTempDir } from '../../helpers/cli.js';
import { specNames, specPath } from '../../helpers/spec-files.js';

/**
 * The built CLI is an esbuild bundle whose templates are precompiled at build time (the sources
 * compile them at run time): both must write the same bytes and modes for every example spec.
 */
describe('the bundled CLI writes what the sources render', () => {
  test.each(specNames())('%s', async (name) => {
    await withTempDir(async (dir) => {
      const result = await runCli(['gen', '-f', specPath(name), '-o', 'out'], { cwd: dir, env: cleanEnv() });
      expect(result.exitCode).toBe(0);
      // gen -f records where the user's spec is (relative to the cluster folder), for upgrade
      const plan = planCluster(await readFile(specPath(name), 'utf8'), `${name}.yaml`, { specFileFrom: (cluster) => relative(join(dir, 'out', cluster), specPath(name)) });
      const clusterDir = join(dir, 'out', plan.model.name);
      for (const file of plan.files) {
        const path = join(clusterDir, file.path);
        expect({ path: file.path, contents: await readFile(path, 'utf8'), mode: (await stat(path)).mode & 0o777 }).toEqual({ path: file.path, contents: file.contents, mode: file.mode });
      }
    });
  });
});
