import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnvFile } from '../contract/env-file.js';
import type { ClusterHandle } from './cluster-handle.js';

export interface ClusterSecrets {
  user: string | undefined;
  password: string | undefined;
  cookie: string | undefined;
  /** Every value to mask (also the KEEPALIVED password and anything else in .env). */
  all: string[];
}

/**
 * Secrets of a cluster, as compose resolves them: the process environment first, then .env
 * (gen may have taken a value from the environment without writing it). Never logged.
 */
export async function readClusterSecrets(cluster: ClusterHandle, env: NodeJS.ProcessEnv = process.env): Promise<ClusterSecrets> {
  let file = new Map<string, string>();
  try {
    file = parseEnvFile(await readFile(join(cluster.dir, cluster.manifest.envFile), 'utf8'));
  } catch {
    // no .env: compose will fail with its own clear message naming the variable
  }
  const get = (name: string | undefined) => (name ? env[name] || file.get(name) : undefined) || undefined;
  const r = cluster.manifest.rabbitmq;
  const password = get(r.defaultPassVariable);
  const cookie = get(r.erlangCookieVariable);
  const user = r.defaultUser ?? get(r.defaultUserVariable);
  const all = [...file.values(), password, cookie].filter((v): v is string => !!v && v.length >= 4);
  return { user, password, cookie, all: [...new Set(all)] };
}
