import { afterAll, beforeAll } from '@jest/globals';
import { SETUP_TIMEOUT_MS, setupE2e, type E2eHarness } from './e2e-env.js';

export { SETUP_TIMEOUT_MS, setupE2e, type E2eHarness };

/**
 * Registers beforeAll/afterAll in the calling test file and returns a getter for the harness.
 * afterAll waits for the setup promise itself, not for beforeAll: a beforeAll that timed out
 * leaves its setup running, and the engine that setup acquires must still be released.
 */
export function useE2eHarness(): () => E2eHarness {
  let harness: E2eHarness | undefined;
  let pending: Promise<E2eHarness> | undefined;
  beforeAll(async () => {
    pending = setupE2e();
    harness = await pending;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    const settled = await pending?.catch(() => undefined);
    await settled?.engine.stop();
  }, SETUP_TIMEOUT_MS);
  return () => {
    if (!harness) throw new Error('the e2e harness is not set up (did its beforeAll fail?)');
    return harness;
  };
}
