import { checkText } from '../../../../ops/health/check-text.js';
import { judgeStatus, type ExtraFacts } from '../../../../ops/health/findings.js';
import { parseQueues } from '../../../../ops/rabbit/parse-queues.js';
import { QUEUES_SHOWN } from '../../../../ops/status/queue-lines.js';
import { queueSummary, type StatusData } from '../../../../ops/status/status-view.js';
import { countFake, fakeQueue4, listQueuesJson4 } from '../../../helpers/fake-queues.js';

const none: ExtraFacts = { quorumCritical: [], deprecated: undefined, support: undefined, notes: [] };
const node = (name: string, running = true) => ({ name, running, alarms: [], container: running ? 'running' : 'exited', clustered: running });

function statusOf(count: number): StatusData {
  const running = [1, 2].map((n) => ({ name: `rabbit${n}`, erlangNode: `rabbit@rabbit${n}` }));
  return {
    cluster: 'big',
    nodes: [node('rabbit1'), node('rabbit2'), node('rabbit3', false)],
    partitions: [],
    queues: queueSummary(parseQueues(listQueuesJson4(count), 4), 4, running),
    source: 'test',
    healthy: false,
  };
}

describe("check's text at 10,000 queues", () => {
  const status = statusOf(10_000);
  const findings = judgeStatus(status, none);
  const fake = countFake(10_000, fakeQueue4);
  const lines = checkText(findings, ['a note'], status).split('\n');

  test('the data keeps one finding per queue behind', () => {
    expect(findings.filter((f) => f.check === 'no-majority')).toHaveLength(fake['quorum-no-majority']);
    expect(findings.filter((f) => f.check === 'unsynchronised')).toHaveLength(fake['quorum-one-offline']);
  });

  test('every other finding, the worst ten queue findings, then how many more per check and the counts', () => {
    expect(lines.filter((l) => l.startsWith('DEGRADED rabbit3: rabbit3 is not running'))).toHaveLength(1);
    const queueLines = lines.filter((l) => / orders\.\d+ /.test(l) && !l.startsWith('…'));
    expect(queueLines).toHaveLength(QUEUES_SHOWN);
    // the critical ones come first, and there are more of them than are shown
    expect(queueLines.every((l) => l.startsWith('CRITICAL ') && l.includes('fewer members online than a majority'))).toBe(true);
    const more = fake['quorum-no-majority'] + fake['quorum-one-offline'] - QUEUES_SHOWN;
    expect(lines).toContain(
      `… and ${more} more queue findings: ${fake['quorum-no-majority'] - QUEUES_SHOWN} no-majority, ${fake['quorum-one-offline']} unsynchronised (--json lists every one)`,
    );
    expect(lines).toContain(
      `INFO queues (quorum): 10000 queues: ${fake['quorum-no-majority']} without a majority online, ${fake['quorum-one-offline']} with members offline, ${fake['quorum-full']} with every member online, ${fake.classic} classic (not replicated)`,
    );
    expect(lines.at(-1)).toBe('INFO a note');
    expect(lines.length).toBeLessThan(20);
  });

  test('a few queue findings: every one printed, no summary', () => {
    const small = statusOf(12);
    const text = checkText(judgeStatus(small, none), [], small);
    expect(text).not.toContain('more queue findings');
    expect(text.split('\n').filter((l) => l.includes('orders.'))).toHaveLength(small.queues!.unhealthy.length);
  });
});
