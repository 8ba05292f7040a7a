import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/**
 * Where the e2e harness keeps what is worth keeping between runs on one machine: the private
 * Docker engine's data root (so built images survive), the Compose plugin, debootstrap's .deb
 * cache. RMQ_TEST_CACHE_DIR moves it (e.g. to a bigger disk).
 */
export const CACHE_DIR = process.env.RMQ_TEST_CACHE_DIR ?? '/var/cache/rmq-compose-test';

export const paths = {
  cache: CACHE_DIR,
  dockerDataRoot: join(CACHE_DIR, 'docker'),
  dockerConfig: join(CACHE_DIR, 'docker-config'),
  debootstrapDebs: join(CACHE_DIR, 'debs'),
  /** Root file systems under construction; one folder per build, named after the building pid. */
  builds: join(CACHE_DIR, 'build'),
  engineState: join(CACHE_DIR, 'engine.json'),
  lock: join(CACHE_DIR, 'harness.lock'),
};

/**
 * Per-run temp folders of the private engine (socket, pid file, exec root) start with this, so a
 * later run can recognise the leftovers of a killed one (and their processes) by name. The cache
 * dir's hash keeps two caches (two checkouts) from reaping each other's engine.
 */
export const ENGINE_TMP_PREFIX = join(tmpdir(), `rmq-compose-dockerd-${createHash('sha256').update(CACHE_DIR).digest('hex').slice(0, 6)}-`);

/** Every test compose project name starts with this, so leftovers can be found and removed. */
export const PROJECT_PREFIX = 'rmqt-';
