import type { ActionResult } from '../../../ops/action.js';
import { runAction } from '../../../ops/run-action.js';
import type { Command, CommandRunner } from '../../../ops/runner/command.js';
import type { DockerEnv } from './docker.js';
import type { GeneratedCluster } from './generated-cluster.js';

/**
 * `rmq-compose deploy` as the ops core runs it (up, wait healthy, the seed's join for manual
 * formation, policies), aimed at the harness's private engine: every command it starts gets the
 * harness's DOCKER_HOST / DOCKER_CONFIG.
 */
export async function deployWithOps(cluster: GeneratedCluster, env: DockerEnv, runner: CommandRunner): Promise<ActionResult> {
  const engineRunner: CommandRunner = { run: (command: Command) => runner.run({ ...command, env: { ...env, ...(command.env ?? {}) } }) };
  return runAction('deploy', [], {
    dir: cluster.clusterDir,
    actor: { via: 'cli', id: 'e2e' },
    tools: { runner: engineRunner, waits: { pollMs: 1000, healthyMs: 300_000, clusteredMs: 180_000 } },
  });
}
