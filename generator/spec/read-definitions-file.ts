import { open } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Finding } from '../../lib/findings.js';
import { DEFINITIONS_SPEC_PATH } from '../definitions/parse-definitions.js';
import { escapeControlCharacters } from '../render/escape-control-characters.js';

/**
 * Every node reads the file at boot, and a machine reached through `docker:` gets it inside its
 * compose file: 10 MB is tens of thousands of queues. Larger topologies are better imported once
 * after deploy (`rabbitmqctl import_definitions`) than by every node at every boot.
 */
export const DEFINITIONS_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Reads the spec's `rabbitmq.definitions` file: the one place the generator reads a file the spec
 * names, at the edge, so planning stays pure. A relative path is taken from the spec's folder
 * (`specDir`), like a path in a compose file, so the result does not depend on where gen runs.
 */
export async function readDefinitionsFile(file: string, specDir: string): Promise<{ text: string; error?: undefined } | { text?: undefined; error: Finding }> {
  const path = isAbsolute(file) ? file : resolve(specDir, file);
  const shown = escapeControlCharacters(file === path ? file : `${file} (${path})`);
  const fail = (message: string) => ({ error: { path: DEFINITIONS_SPEC_PATH, message: `${shown}: ${message}` } });
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return fail("no such file; the path is relative to the spec file's folder. Export one with `rabbitmqctl export_definitions <file>` or fix the path");
    if (code === 'EACCES') return fail('cannot be read (permission denied); make it readable by the user running rmq-compose');
    return fail(`cannot be opened (${code ?? 'unknown error'})`);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return fail('is a folder; name the JSON file itself');
    if (!stats.isFile()) return fail('is not a regular file');
    if (stats.size > DEFINITIONS_MAX_BYTES) {
      return fail(
        `is ${(stats.size / 1024 / 1024).toFixed(1)} MB, more than the ${DEFINITIONS_MAX_BYTES / 1024 / 1024} MB rmq-compose imports at boot; import a topology that large once after deploy (rabbitmqctl import_definitions) instead`,
      );
    }
    // read through the handle that was checked: the path cannot be swapped in between
    return { text: await handle.readFile('utf8') };
  } catch (error) {
    // a folder opens, and reading it fails with EISDIR on some systems before stat is asked
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'EISDIR' ? 'is a folder; name the JSON file itself' : `cannot be read (${code ?? 'unknown error'})`);
  } finally {
    await handle.close();
  }
}
