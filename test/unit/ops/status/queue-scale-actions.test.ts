import type { CheckData } from '../../../../ops/health/check-cluster.js';
import { QUEUES_SHOWN } from '../../../../ops/status/queue-lines.js';
import type { StatusData } from '../../../../ops/status/status-view.js';
import { countFake, fakeQueue3, fakeQueue4 } from '../../../helpers/fake-queues.js';
import { scaleCluster, type ScaleCluster } from '../../../helpers/queue-scale-cluster.js';

/** status and check through the whole request path over 10,000 queues: the text summarises, the data (`--json`) has every queue. */
describe.each([4, 3] as const)('%i.x, 10,000 queues through rabbitmqctl', (major) => {
  let c: ScaleCluster;
  beforeAll(async () => {
    c = await scaleCluster(major, 10_000);
  });
  afterAll(async () => c.remove());
  const behind =
    major === 4
      ? ((f) => f['quorum-no-majority'] + f['quorum-one-offline'])(countFake(10_000, fakeQueue4))
      : countFake(10_000, fakeQueue3)['mirrored-one-unsynced'];

  test('status: every queue behind in the data, ten in the text', async () => {
    const r = await c.run('status');
    const data = r.data as StatusData;
    expect(data.queues?.total).toBe(10_000);
    expect(data.queues?.unhealthy).toHaveLength(behind);
    const named = r.text!.split('\n').filter((l) => /^ {2}orders\.\d+ /.test(l));
    expect(named).toHaveLength(QUEUES_SHOWN);
    expect(r.text).toContain(`… and ${behind - QUEUES_SHOWN} more queues (--json lists every one)`);
  });

  test('check: a finding per queue behind in the data, ten in the text', async () => {
    const r = await c.run('check');
    const data = r.data as CheckData;
    expect(data.findings.filter((f) => f.check === 'unsynchronised' || f.check === 'no-majority')).toHaveLength(behind);
    expect(r.text!.split('\n').filter((l) => /^(CRITICAL|DEGRADED) orders\.\d+ /.test(l))).toHaveLength(QUEUES_SHOWN);
    expect(r.text).toMatch(new RegExp(`… and ${behind - QUEUES_SHOWN} more queue findings: `));
  });
});
