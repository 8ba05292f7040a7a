import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ENV_FILE } from '../../contract/cluster-files.js';
import { parseEnvFile } from '../../contract/env-file.js';
import type { SecretNeed } from '../spec/secret-ref.js';
import { refuseUnsafePaths } from './path-safety.js';
import { resolveSecrets, type SecretResolution } from './secrets.js';
import { readIfExists } from '../../lib/read-if-exists.js';

/** The cluster's secrets as one gen run sees them: read once, used by the plan and by the writes. */
export interface SecretState {
  envPath: string;
  /** .env as it is ('' when there is none). */
  envText: string;
  /** Its mode, undefined when there is none. */
  envMode: number | undefined;
  resolution: SecretResolution;
  /**
   * Each variable's value as Compose will see it: the environment, else .env, else what this run
   * appends to .env. A variable that is nowhere (an error of `resolution`) has no entry.
   */
  values: Map<string, string>;
  /** Variables that had no value before this run (generated now, or nowhere). */
  madeUp: Set<string>;
}

/**
 * Reads `<clusterDir>/.env` (never through a symbolic link) and decides where every secret comes
 * from (write/secrets.ts). Generated values are drawn here, once per run, so a file built from a
 * secret (definitions.json) and the .env line written for it agree.
 */
export async function readSecretState(clusterDir: string, needs: SecretNeed[], env: Readonly<Record<string, string | undefined>>): Promise<SecretState> {
  await refuseUnsafePaths(clusterDir, [ENV_FILE]);
  const envPath = join(clusterDir, ENV_FILE);
  const envText = (await readIfExists(envPath)) ?? '';
  const envMode = envText === '' ? undefined : (await stat(envPath)).mode & 0o777;
  const existing = parseEnvFile(envText);
  const resolution = resolveSecrets(needs, env, existing, envPath);
  const appended = new Map(resolution.append.map((a) => [a.variable, a.value]));
  const values = new Map<string, string>();
  for (const { variable } of needs) {
    const value = env[variable] || existing.get(variable) || appended.get(variable);
    if (value !== undefined) values.set(variable, value);
  }
  const madeUp = new Set([
    ...resolution.append.filter((a) => a.origin === 'generated').map((a) => a.variable),
    ...needs.filter((n) => !values.has(n.variable)).map((n) => n.variable),
  ]);
  return { envPath, envText, envMode, resolution, values, madeUp };
}
