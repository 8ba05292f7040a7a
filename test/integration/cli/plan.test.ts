import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanEnv, runCli, snapshotTree, withTempDir } from '../../helpers/cli.js';
import { threeRunningNodes, writeFakeDocker, type FakeDockerReply } from '../../helpers/fake-docker.js';

/**
 * Plans you can dry-run, from the built CLI as a user runs it: `upgrade --dry-run` prints the
 * plan with no terminal and no --yes (it asks nothing), changes nothing; `--plan <id>` after the
 * spec changed is refused with exit 3 and the file named. The engine is a `docker` on PATH that
 * answers the pre-check's reads (three running 4.0.5 nodes) and fails anything else.
 */
const SPEC = `name: seed
rabbitmq:
  image: rabbitmq:4.0-management
  formation: auto
nodes: 3
loadBalancer: { enabled: false }
`;
const TO = 'rabbitmq:4.0.9-management';

/** The pre-check's reads on three running 4.0.5 nodes. */
function engineReplies(): FakeDockerReply[] {
  return [
    ...threeRunningNodes('4.0.5', { ramNodes: false }),
    { has: ['list_feature_flags'], stdout: '[]' },
    { has: ['list_deprecated_features'], stdout: '[]' },
  ];
}

describe('upgrade --dry-run and --plan from the terminal', () => {
  test('the plan is printed, nothing changes; the spec edited since: refused, exit 3', async () => {
    await withTempDir(async (dir) => {
      const { bin, calls } = await writeFakeDocker(dir, engineReplies());
      const env = cleanEnv({ PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
      await writeFile(join(dir, 'rmq-cluster.yaml'), SPEC);
      expect((await runCli(['gen', '-f', 'rmq-cluster.yaml'], { cwd: dir, env })).exitCode).toBe(0);
      const before = await snapshotTree(dir);

      // no terminal, no --yes: a dry run asks nothing
      const dry = await runCli(['upgrade', '--to', TO, '--dry-run'], { cwd: dir, env });
      expect(dry.stderr).not.toMatch(/--yes|confirm/i);
      expect(dry.exitCode).toBe(0);
      const id = /plan ([0-9a-f]{12}) for upgrade/.exec(dry.stdout)?.[1];
      expect(id).toBeDefined();
      expect(dry.stdout).toContain(`Apply exactly this plan: rmq-compose upgrade --to ${TO} --plan ${id}`);
      expect(dry.stdout).toContain('updated docker-compose.yml');
      expect(dry.stdout).toContain('rabbit3: quorum gate, drain, new container on');
      const after = await snapshotTree(dir);
      const changed = Object.keys(after).filter((p) => after[p] !== before[p]);
      // the kept plan, the fake engine's call log, and the audit lines: nothing of the cluster's
      expect(changed.sort()).toEqual(['compose/seed/.rmq-compose/plan-upgrade.json', 'compose/seed/audit.log', 'docker-calls']);
      expect(await readFile(calls, 'utf8')).not.toMatch(/^(pull|image|compose .* up)/m);

      const json = await runCli(['upgrade', '--to', TO, '--dry-run', '--json'], { cwd: dir, env });
      expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: true, plan: { id, action: 'upgrade', argv: ['--to', TO] } });

      await writeFile(join(dir, 'rmq-cluster.yaml'), `${SPEC}# edited after the review\n`);
      const refused = await runCli(['upgrade', '--to', TO, '--plan', id!, '--yes'], { cwd: dir, env });
      expect(refused.exitCode).toBe(3);
      expect(refused.stderr).toContain(`plan ${id} was made`);
      expect(refused.stderr).toContain(`from files that have changed since: ${join(dir, 'rmq-cluster.yaml')}; nothing was changed`);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(await readFile(join(dir, 'compose', 'seed', 'docker-compose.yml'), 'utf8')).toContain('rabbitmq:4.0-management');
    });
  });
});
