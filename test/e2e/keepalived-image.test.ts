import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEEPALIVED_BUILD_IMAGE } from '../../generator/render/compose/lb-services.js';
import { reportFigures } from './harness/cluster-probes.js';
import { docker, dockerChecked } from './harness/docker.js';
import { openGeneratedCluster, type GeneratedCluster } from './harness/generated-cluster.js';
import { ensureOfflineKeepalivedInputs, KEEPALIVED_BASE } from './harness/keepalived-offline.js';
import { useE2eHarness } from './harness/setup.js';

/**
 * The keepalived image the generated Dockerfile builds when the spec names none: pinned (the base
 * by its Debian point release, keepalived by its version) and buildable with no network from the
 * .deb cache its debs/README.md describes. Built here with `--network none`, then run: the
 * version it holds, and the generated start script testing the generated configuration in it.
 */
const harness = useE2eHarness();
const figures: Record<string, number | string> = {};
let cluster: GeneratedCluster | undefined;
const tag = `${KEEPALIVED_BUILD_IMAGE}-e2e-${process.pid}`;

describe('the generated keepalived image', () => {
  beforeAll(async () => {
    const h = harness();
    const t0 = Date.now();
    const inputs = await ensureOfflineKeepalivedInputs(h.env, h.runner);
    figures.inputsMs = Date.now() - t0;
    figures.debs = inputs.debs.length;
    cluster = await openGeneratedCluster(
      'kaimg',
      {
        name: 'e2e-kaimg',
        nodes: 1,
        loadBalancer: { listeners: [{ protocol: 'amqp', port: 26500 }], keepalived: { virtualIp: '172.30.60.100/24', virtualRouterId: 91 } },
        network: { subnet: '172.30.60.0/24' },
      },
      h.env,
      h.runner,
    );
    for (const deb of inputs.debs) copyFileSync(deb, join(cluster.clusterDir, 'keepalived', 'debs', deb.split('/').pop()!));
  }, 1_800_000);

  afterAll(async () => {
    const h = harness();
    await h.runner.run(docker(['image', 'rm', '--force', tag], h.env, 60_000));
    await cluster?.down();
    reportFigures('keepalived-image', figures);
  }, 300_000);

  it('names the pinned base and version, and compose builds it under the pinned tag', () => {
    const dockerfile = readFileSync(join(cluster!.clusterDir, 'keepalived', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`FROM ${KEEPALIVED_BASE.tag}\n`);
    expect(dockerfile).toContain(`ARG KEEPALIVED_VERSION=${KEEPALIVED_BASE.keepalived}\n`);
    const compose = readFileSync(join(cluster!.clusterDir, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`image: "${KEEPALIVED_BUILD_IMAGE}"`);
    expect(compose).toMatch(/build:\n\s+context: \.\/keepalived/);
  });

  it('builds with no network from the .deb cache, and holds the pinned keepalived', async () => {
    const h = harness();
    const t0 = Date.now();
    // the legacy builder: it honours --network none for RUN, and needs no buildx plugin
    const built = await h.runner.run({
      ...docker(['build', '--network', 'none', '-t', tag, join(cluster!.clusterDir, 'keepalived')], h.env, 900_000),
      env: { ...h.env, DOCKER_BUILDKIT: '0' },
    });
    expect([built.exitCode, built.stderr.slice(-2000)]).toEqual([0, expect.any(String)]);
    figures.offlineBuildMs = Date.now() - t0;
    const version = await dockerChecked(h.runner, ['run', '--rm', '--network', 'none', tag, 'keepalived', '--version'], h.env, 120_000);
    const said = `${version.stdout}${version.stderr}`;
    figures.version = said.split('\n')[0] ?? '';
    expect(said).toMatch(/Keepalived v2\.3\.3\b/);
    expect(said).not.toMatch(/No such file|not found/);
  }, 1_200_000);

  it('has every tool the generated start and check scripts call', async () => {
    const h = harness();
    const tools = ['sh', 'bash', 'awk', 'ip', 'cp', 'chmod', 'mkdir', 'rm', 'timeout', 'keepalived'];
    const found = await h.runner.run(
      docker(
        [
          'run',
          '--rm',
          '--network',
          'none',
          '--entrypoint',
          '/bin/sh',
          tag,
          '-c',
          `for t in ${tools.join(' ')}; do command -v "$t" >/dev/null || echo "missing $t"; done`,
        ],
        h.env,
        60_000,
      ),
    );
    expect({ exitCode: found.exitCode, missing: found.stdout.trim() }).toEqual({ exitCode: 0, missing: '' });
    // the check script's own way of probing nginx: bash's /dev/tcp under coreutils' timeout; nothing
    // listens in a container with no network, so it says nginx is down (1), not "command not found" (127)
    const dir = join(cluster!.clusterDir, 'keepalived');
    const check = await h.runner.run(
      docker(['run', '--rm', '--network', 'none', '-v', `${join(dir, 'check-nginx.sh')}:/c.sh:ro`, '--entrypoint', 'bash', tag, '/c.sh', '1'], h.env, 60_000),
    );
    expect(check.exitCode).toBe(1);
    // what keepalived -t says of the generated configuration in this image, for the record
    const mounts = [
      ['lb1.conf', '/etc/keepalived/keepalived.conf'],
      ['start.sh', '/etc/keepalived/start.sh'],
      ['check-nginx.sh', '/etc/keepalived/check-nginx.sh'],
    ].flatMap(([file, target]) => ['-v', `${join(dir, file!)}:${target}:ro`]);
    const tested = await h.runner.run(docker(['run', '--rm', ...mounts, '--entrypoint', '/bin/sh', tag, '/etc/keepalived/start.sh', '-t'], h.env, 120_000));
    figures.configTestExit = tested.exitCode;
    process.stdout.write(`keepalived -t in the image: exit ${tested.exitCode}\n${(tested.stdout + tested.stderr).slice(-1500)}\n`);
  }, 300_000);
});
