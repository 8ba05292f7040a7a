import { scaleCluster, type ScaleCluster } from '../../../helpers/queue-scale-cluster.js';

/**
 * A watcher poll over 10,000 quorum and classic queues (a fake docker answers list_queues): one
 * alert for the lot, whose message names a dozen findings and counts the rest. Its CPU time is
 * printed, never asserted (speed is measured in bench/queue-scale-bench.ts).
 */
describe('the watcher at 10,000 queues', () => {
  let c: ScaleCluster;
  beforeAll(async () => {
    c = await scaleCluster(4, 10_000);
  });
  afterAll(async () => c.remove());

  test('one poll: one alert message within Slack’s limits, the rest counted', async () => {
    const { watcher, posted } = c.watcher();
    const before = process.cpuUsage();
    await watcher.pollNow('scale');
    const cpu = process.cpuUsage(before);
    await watcher.stop();
    process.stdout.write(`watcher poll over 10,000 queues: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms of CPU (printed, not asserted)\n`);
    expect(posted).toHaveLength(1);
    const incident = watcher.open().incidents[0]!;
    expect(incident.open.size).toBeGreaterThan(1000);
    const message = posted[0]!;
    const section = JSON.stringify(message.blocks[0]);
    expect(section).toContain(`…and ${incident.open.size - 12} more`);
    expect(section.length).toBeLessThan(3100);
    expect(message.text.length).toBeLessThanOrEqual(2900);
  });
});
