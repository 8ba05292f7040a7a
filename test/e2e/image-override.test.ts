import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecked } from '../../ops/runner/execa-runner.js';
import { dockerChecked } from './harness/docker.js';
import { ensureTestImages } from './harness/images.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * RMQ_TEST_IMAGE_* may name an image made any way, e.g. `docker import` of a root file system
 * without a single --change: no labels at all. The harness takes it as it is (no pull: no
 * registry is reachable), and says clearly when the named image is not in the engine.
 */
const harness = useE2eHarness();

describe('test image overrides', () => {
  it('an image without labels is taken as the override; a missing one is a clear error, not a pull', async () => {
    const h = harness();
    const dir = mkdtempSync(join(tmpdir(), 'rmqt-override-'));
    const tag = `rmq-compose-test/no-labels:${process.pid}`;
    const saved = process.env.RMQ_TEST_IMAGE_4;
    try {
      writeFileSync(join(dir, 'hello'), 'hello\n');
      await runChecked(h.runner, { file: 'tar', args: ['-C', dir, '-cf', join(dir, 'rootfs.tar'), 'hello'], timeoutMs: 30_000 });
      await dockerChecked(h.runner, ['import', join(dir, 'rootfs.tar'), tag], h.env, 60_000);
      process.env.RMQ_TEST_IMAGE_4 = tag;
      const images = await ensureTestImages(h.env, h.runner);
      expect(images.v4).toMatchObject({ ref: tag, source: 'override' });
      expect(images.v4.sizeBytes).toBeGreaterThan(0);

      process.env.RMQ_TEST_IMAGE_4 = `rmq-compose-test/absent:${process.pid}`;
      await expect(ensureTestImages(h.env, h.runner)).rejects.toThrow(
        /^RMQ_TEST_IMAGE_4=rmq-compose-test\/absent:\d+ is not in the test engine .*docker load it there first/,
      );
    } finally {
      if (saved === undefined) delete process.env.RMQ_TEST_IMAGE_4;
      else process.env.RMQ_TEST_IMAGE_4 = saved;
      await h.runner.run({ file: 'docker', args: ['image', 'rm', tag], env: h.env, timeoutMs: 60_000 });
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
