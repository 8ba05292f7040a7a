import { ExecaRunner } from '../../../ops/runner/execa-runner.js';
import { removeLeftoverProjects } from './cleanup.js';
import { dockerChildEnv, ensureComposeV2, type ComposeCli } from './compose-cli.js';
import { ensureDockerEngine, type DockerEngine } from './engine.js';
import { ensureTestImages, type TestImages } from './images.js';

/**
 * The harness without jest (so `npm run bench` can use it too); setup.ts wraps it in beforeAll/afterAll.
 *
 * Why not jest's globalSetup: it would start Docker for the unit tests too, it cannot hand objects
 * to test files (only process.env), and TypeScript globalSetup under native ESM is fragile. So each
 * e2e file calls useE2eHarness(); the engine is shared across files and workers through a state file
 * in the cache dir (see engine-state.ts) and stopped by the last user.
 */
export interface E2eHarness {
  engine: DockerEngine;
  compose: ComposeCli;
  images: TestImages;
  /** Pass to every child process: DOCKER_HOST, and DOCKER_CONFIG when the Compose plugin is ours. */
  env: Record<string, string>;
  runner: ExecaRunner;
  timings: { engineMs: number; composeMs: number; imagesMs: number; totalMs: number };
}

/** Cold machine: apt installs plus two image builds. */
export const SETUP_TIMEOUT_MS = 30 * 60_000;

export async function setupE2e(runner = new ExecaRunner()): Promise<E2eHarness> {
  const t0 = Date.now();
  const engine = await ensureDockerEngine(runner);
  try {
    const t1 = Date.now();
    const compose = await ensureComposeV2(engine.dockerHost, runner);
    const env = dockerChildEnv(engine.dockerHost, compose);
    const t2 = Date.now();
    await removeLeftoverProjects(env, runner);
    const images = await ensureTestImages(env, runner);
    const t3 = Date.now();
    return {
      engine,
      compose,
      images,
      env,
      runner,
      timings: { engineMs: t1 - t0, composeMs: t2 - t1, imagesMs: t3 - t2, totalMs: t3 - t0 },
    };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}
