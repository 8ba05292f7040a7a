import { randomInt } from 'node:crypto';
import type { Finding } from '../../lib/findings.js';
import type { SecretNeed } from '../spec/secret-ref.js';

export function generateSecret(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export interface SecretResolution {
  /** Entries to append to .env (never replacing an existing one). */
  append: Array<{ variable: string; value: string; origin: 'generated' | 'spec' }>;
  /** Variables taken from the environment (not written anywhere). */
  fromEnvironment: string[];
  errors: Finding[];
  warnings: Finding[];
}

/**
 * Where each secret comes from, in compose's own order: the environment, then .env; a missing
 * one is generated when rmq-compose knows its shape, else it is an error. Values never appear
 * in findings.
 */
export function resolveSecrets(
  needs: SecretNeed[],
  env: Readonly<Record<string, string | undefined>>,
  existing: Map<string, string>,
  envPath: string,
): SecretResolution {
  const result: SecretResolution = { append: [], fromEnvironment: [], errors: [], warnings: [] };
  const planned = new Set<string>();
  for (const need of needs) {
    if (planned.has(need.variable)) continue;
    planned.add(need.variable);
    const inEnv = env[need.variable];
    const inFile = existing.get(need.variable);
    if (need.inlineValue !== undefined) {
      if (inFile === undefined) result.append.push({ variable: need.variable, value: need.inlineValue, origin: 'spec' });
      else if (inFile !== need.inlineValue)
        result.warnings.push({
          path: need.path,
          message: `differs from ${need.variable} in ${envPath}; the .env value is kept (edit or delete it there to change it)`,
        });
      continue;
    }
    if (inEnv) {
      result.fromEnvironment.push(need.variable);
      continue;
    }
    if (inFile) continue;
    if (need.generate) {
      result.append.push({ variable: need.variable, value: generateSecret(need.generate.length, need.generate.alphabet), origin: 'generated' });
    } else {
      result.errors.push({
        path: need.path,
        message: `\${${need.variable}} is not set and cannot be generated; export ${need.variable} or add ${need.variable}=… to ${envPath}`,
      });
    }
  }
  return result;
}
