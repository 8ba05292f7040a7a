import { cleanEnv, runCli, withTempDir } from '../../helpers/cli.js';
import { threeRunningNodes, writeFakeDocker, type FakeDockerReply } from '../../helpers/fake-docker.js';

/**
 * Issue 19: a queue name is anyone's to choose, and `status` printed it to the terminal as it
 * came. This one retitles the window (OSC 0), rings the bell and clears the screen, then clears
 * it again with the one-byte C1 CSI, which JSON.stringify leaves raw.
 */
const EVIL_QUEUE = '\u001b]0;PWNED\u0007\u001b[2J\u009b2Jq1';

/**
 * A `docker` that answers what `status` asks on the seed (3.x): three running node containers,
 * cluster_status, and list_queues with EVIL_QUEUE missing a mirror; sync_queue fails quoting
 * it, as rabbitmqctl quotes a name; everything else fails, as an engine without those containers
 * would.
 */
function engineReplies(): FakeDockerReply[] {
  const queues = `${EVIL_QUEUE}\tclassic\tha-all\t[<rabbit@rabbit2.1.2.0>]\t[]\n`;
  return [
    ...threeRunningNodes('3.13.7', { ramNodes: true }),
    { has: ['list_queues'], stdout: queues },
    { has: ['sync_queue'], stderr: `Error: queue '${EVIL_QUEUE}' in vhost '/' is not mirrored\n`, exitCode: 2 },
  ];
}

describe('what the CLI prints from a broker', () => {
  test('status shows control characters in a queue name visibly, never raw; --json stays JSON', async () => {
    await withTempDir(async (dir) => {
      const { bin } = await writeFakeDocker(dir, engineReplies());
      const env = cleanEnv({ PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
      expect((await runCli(['gen'], { cwd: dir, env })).exitCode).toBe(0);

      const human = await runCli(['status'], { cwd: dir, env });
      expect(human.stderr).not.toMatch(/error/);
      expect(human.stdout).toContain('queues (classic mirrored): \\u001b]0;PWNED\\u0007\\u001b[2J\\u009b2Jq1 (1 unsynchronised mirror: rabbit@rabbit2)');
      // eslint-disable-next-line no-control-regex -- the point: no control character but the line break
      expect(`${human.stdout}${human.stderr}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);

      const json = await runCli(['status', '--json'], { cwd: dir, env });
      // eslint-disable-next-line no-control-regex -- the point: no control character but the line break
      expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(JSON.parse(json.stdout).queues.unhealthy).toEqual([`${EVIL_QUEUE} (1 unsynchronised mirror: rabbit@rabbit2)`]);

      // an error quoting the broker, as main prints it
      const failed = await runCli(['sync', 'q1'], { cwd: dir, env });
      expect(failed.exitCode).toBe(1);
      expect(failed.stderr).toContain("Error: queue '\\u001b]0;PWNED\\u0007\\u001b[2J\\u009b2Jq1' in vhost '/' is not mirrored");
      // eslint-disable-next-line no-control-regex -- the point: no control character but the line break
      expect(failed.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    });
  });
});
